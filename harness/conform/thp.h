/* thp.h — the thp conformance suite, THP-001/002: THP=always backs the
 * guest RAM with huge pages, THP=never with none (thp.c says how each
 * check measures). */
#ifndef OCB_CONFORM_THP_H
#define OCB_CONFORM_THP_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_thp;

#endif
