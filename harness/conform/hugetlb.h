/* hugetlb.h — the hugetlb conformance suite, HTLB-001/002: a hugetlbfs-
 * backed guest takes exactly its pages from the pool and returns them
 * (hugetlb.c says how each check measures). */
#ifndef OCB_CONFORM_HUGETLB_H
#define OCB_CONFORM_HUGETLB_H

#include "conform/conform.h"

extern const struct conform_suite conform_suite_hugetlb;

#endif
