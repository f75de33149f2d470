/* jsontext.h — text from elsewhere (a guest's stdout, a file) as a JSON
 * string, whatever bytes it holds.
 *
 * jansson refuses invalid UTF-8 (json_stringn returns NULL, json_pack
 * fails as a whole), so an event carrying a guest's output would silently
 * lose all its fields.  Here invalid sequences become U+FFFD instead: the
 * text survives and the damage is visible.  Written by hand because
 * jansson has no lossy conversion and the rule is a page of code.
 */
#ifndef OCB_JSONTEXT_H
#define OCB_JSONTEXT_H

#include <jansson.h>
#include <stddef.h>

/* A new JSON string of s[0..len): as it is when valid UTF-8, else with
 * every invalid byte sequence replaced by U+FFFD.  Never NULL. */
json_t *json_text(const char *s, size_t len);

#endif
