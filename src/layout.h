/* layout: the product of the pipeline up to the dots (smp_layout). */
#ifndef SMP_LAYOUT_H
#define SMP_LAYOUT_H
#include "area.h"
#include "field.h"
#include "hairline.h"
#include "sampler.h"

struct smp_layout {
    area area;
    hairline line;
    int has_line;
    field field;
    dot_list dots;
    smp_layout_stats stats;
};

#endif
