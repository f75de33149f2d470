/* plot.c — see plot.h. */
#include "reports/plot.h"
#include "util/error.h"
#include "util/fsutil.h"
#include "util/runcmd.h"
#include "util/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define GNUPLOT_TIMEOUT_NS (120ull * 1000000000ull)

/* Okabe & Ito's palette, ordered so the first colours are the most
 * distinct on white; yellow last (it is faint on a white background). */
const char *const plot_palette[PLOT_MAX_SERIES] = {
	"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442",
};

/* Pixels around the panels of a figure. */
#define TITLE_PX 44		/* the figure's title */
#define BOTTOM_PX 46		/* the last panel's x tics and label */
#define PANEL_GAP_PX 60		/* a panel's title and the x tics of the one above */
#define KEY_PX 300		/* the legend right of stacked panels */
#define LEFT_PX 84

void gp_quote(struct strbuf *sb, const char *s)
{
	strbuf_addch(sb, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_addch(sb, '\'');	/* '' is a quote inside '...' */
		if (*s != '\n')
			strbuf_addch(sb, *s);
	}
	strbuf_addch(sb, '\'');
}

void gp_set_str(struct strbuf *sb, const char *cmd, const char *text)
{
	strbuf_addf(sb, "%s ", cmd);
	gp_quote(sb, text);
	strbuf_addch(sb, '\n');
}

void plot_init(struct plot *p, const char *title, int columns, int panel_px)
{
	memset(p, 0, sizeof(*p));
	p->title = xstrdup(title);
	p->columns = columns < 1 ? 1 : columns;
	p->panel_px = panel_px;
}

void plot_release(struct plot *p)
{
	for (size_t i = 0; i < p->npanels; i++) {
		strbuf_release(&p->panels[i].set);
		strbuf_release(&p->panels[i].items);
	}
	free(p->panels);
	free(p->title);
	strbuf_release(&p->data);
	memset(p, 0, sizeof(*p));
}

int plot_block_begin(struct plot *p)
{
	strbuf_addf(&p->data, "$d%d << EOD\n", p->nblocks);
	return p->nblocks++;
}

void plot_block_end(struct plot *p)
{
	strbuf_adds(&p->data, "EOD\n");
}

struct plot_panel *plot_panel(struct plot *p, double weight)
{
	struct plot_panel *pp;

	ALLOC_GROW(p->panels, p->npanels + 1, p->alloc);
	pp = &p->panels[p->npanels++];
	memset(pp, 0, sizeof(*pp));
	pp->weight = weight;
	return pp;
}

static struct plot_panel *current(struct plot *p)
{
	return p->npanels ? &p->panels[p->npanels - 1] : plot_panel(p, 1);
}

static void item(struct plot_panel *pp, int block, const char *using, const char *style,
		 const char *colour, const char *title)
{
	strbuf_adds(&pp->items, pp->nitems ? ", \\\n  " : "plot \\\n  ");
	strbuf_addf(&pp->items, "$d%d using %s with %s lc rgb '%s' ", block, using, style, colour);
	if (title) {
		strbuf_adds(&pp->items, "title ");
		gp_quote(&pp->items, title);
	} else {
		strbuf_adds(&pp->items, "notitle");
	}
	pp->nitems++;
}

int plot_series(struct plot *p, int block, const char *using, const char *style, const char *title)
{
	struct plot_panel *pp = current(p);

	if (pp->nseries >= PLOT_MAX_SERIES) {
		pp->dropped++;
		return -1;
	}
	item(pp, block, using, style, plot_palette[pp->nseries], title);
	pp->nseries++;
	return 0;
}

void plot_series_more(struct plot *p, int block, const char *using, const char *style)
{
	struct plot_panel *pp = current(p);

	if (!pp->nseries || pp->dropped)
		return;	/* the series it belongs to was not drawn */
	item(pp, block, using, style, plot_palette[pp->nseries - 1], NULL);
}

void plot_extra(struct plot *p, int block, const char *using, const char *style, const char *colour)
{
	item(current(p), block, using, style, colour, NULL);
}

/* ---- layout and rendering ---- */

static int drawn(const struct plot_panel *pp)
{
	return pp->nitems > 0;
}

/* Height in pixels of the whole figure. */
static int figure_px(const struct plot *p)
{
	double h = TITLE_PX + BOTTOM_PX, row = 0;
	int col = 0;

	for (size_t i = 0; i < p->npanels; i++) {
		if (!drawn(&p->panels[i]))
			continue;
		if (p->columns == 1) {
			h += p->panels[i].weight * p->panel_px;
			continue;
		}
		if (p->panels[i].weight * p->panel_px > row)
			row = p->panels[i].weight * p->panel_px;
		if (++col == p->columns) {
			h += row;
			row = 0;
			col = 0;
		}
	}
	return (int)(h + row);
}

/* Margins "at screen" of panel k (k-th drawn one): stacked panels share
 * the left and right edges exactly, so their time axes line up. */
static void margins(const struct plot *p, size_t k, double y0_px, double h_px, int H,
		    struct strbuf *out)
{
	double left, right, top, bottom;

	if (p->columns == 1) {
		left = (double)LEFT_PX / PLOT_WIDTH;
		right = 1.0 - (double)KEY_PX / PLOT_WIDTH;
	} else {
		double w = 1.0 / p->columns;
		size_t c = k % (size_t)p->columns;

		left = c * w + (double)LEFT_PX / PLOT_WIDTH;
		right = (c + 1) * w - 0.02;
	}
	top = 1.0 - (y0_px + PANEL_GAP_PX) / H;
	bottom = 1.0 - (y0_px + h_px) / H;
	strbuf_addf(out, "set lmargin at screen %.4f\nset rmargin at screen %.4f\n"
			 "set tmargin at screen %.4f\nset bmargin at screen %.4f\n",
		    left, right, top, bottom);
}

static void draw(const struct plot *p, int H, struct strbuf *out)
{
	double y = TITLE_PX, row = 0;
	size_t k = 0;

	strbuf_adds(out, "set multiplot title ");
	gp_quote(out, p->title);
	strbuf_adds(out, " font ',13'\n");
	for (size_t i = 0; i < p->npanels; i++) {
		const struct plot_panel *pp = &p->panels[i];
		double h = pp->weight * p->panel_px;

		if (!drawn(pp))
			continue;
		/* every panel from a clean state: the PNG pass replays the SVG's */
		strbuf_adds(out, "reset\nset grid\n");
		margins(p, k, y, h, H, out);
		strbuf_adds(out, pp->set.buf);
		strbuf_adds(out, pp->items.buf);
		strbuf_adds(out, "\n");
		if (p->columns == 1) {
			y += h;
		} else {
			row = h > row ? h : row;
			if ((k + 1) % (size_t)p->columns == 0) {
				y += row;
				row = 0;
			}
		}
		k++;
	}
	strbuf_adds(out, "unset multiplot\n");
}

static int file_nonempty(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && st.st_size > 0;
}

static void script(const struct plot *p, const char *dir, const char *name, struct strbuf *s)
{
	struct strbuf img = STRBUF_INIT;
	int H = figure_px(p);

	strbuf_adds(s, "# generated by ocbench report; run: gnuplot THIS_FILE\nset encoding utf8\n");
	strbuf_adds(s, p->data.buf);
	strbuf_addf(s, "set terminal svg size %d,%d dynamic noenhanced font 'sans,11' "
		       "background '#ffffff'\nset output ", PLOT_WIDTH, H);
	strbuf_addf(&img, "%s/%s.svg", dir, name);
	gp_quote(s, img.buf);
	strbuf_addch(s, '\n');
	draw(p, H, s);
	strbuf_addf(s, "set output\nset terminal pngcairo size %d,%d noenhanced font 'sans,10' "
		       "background '#ffffff'\nset output ", PLOT_WIDTH, H);
	strbuf_reset(&img);
	strbuf_addf(&img, "%s/%s.png", dir, name);
	gp_quote(s, img.buf);
	strbuf_addch(s, '\n');
	draw(p, H, s);
	strbuf_adds(s, "set output\n");
	strbuf_release(&img);
}

/* gnuplot wrote both images, or say which it did not and what it said. */
static int check_images(const char *dir, const char *name, const char *gp, const char *said)
{
	static const char *const ext[] = { "svg", "png" };
	struct strbuf img = STRBUF_INIT;
	int rc = 0;

	for (int i = 0; i < 2 && rc == 0; i++) {
		strbuf_reset(&img);
		strbuf_addf(&img, "%s/%s.%s", dir, name, ext[i]);
		if (!file_nonempty(img.buf))
			rc = ocb_fail("gnuplot %s wrote no %s (expected an image): %s", gp, img.buf, said);
	}
	strbuf_release(&img);
	return rc;
}

int plot_write(struct plot *p, const char *dir, const char *name)
{
	struct strbuf s = STRBUF_INIT, path = STRBUF_INIT, out = STRBUF_INIT, gp = STRBUF_INIT;
	const char *argv[3];
	int rc = -1, code, any = 0;

	for (size_t i = 0; i < p->npanels; i++)
		any |= p->panels[i].nseries > 0;
	if (!any)
		return 0;
	if (find_program("gnuplot", &gp) < 0) {
		ocb_fail("gnuplot not found in PATH: install gnuplot-nox (ci/install-deps)");
		goto out;
	}
	strbuf_addf(&path, "%s/gnuplot", dir);
	if (mkdir_p(path.buf, 0755) < 0)
		goto out;
	strbuf_addf(&path, "/%s.gp", name);
	script(p, dir, name, &s);
	if (write_file_atomic(path.buf, s.buf, s.len, 0644) < 0)
		goto out;
	argv[0] = gp.buf;
	argv[1] = path.buf;
	argv[2] = NULL;
	code = run_capture(argv, &out, GNUPLOT_TIMEOUT_NS);
	strbuf_rtrim(&out);
	if (code > 0)
		ocb_fail("gnuplot %s exited with %d (expected 0): %s", path.buf, code, out.buf);
	else if (code < 0)
		ocb_err_prefix("plot %s: ", name);
	else
		rc = check_images(dir, name, path.buf, out.buf) < 0 ? -1 : 1;
out:
	strbuf_release(&s);
	strbuf_release(&path);
	strbuf_release(&out);
	strbuf_release(&gp);
	return rc;
}
