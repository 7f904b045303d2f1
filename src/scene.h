/* scene: the first stage of the pipeline (scene.c says what it does). */
#ifndef SMP_SCENE_H
#define SMP_SCENE_H
#include "layout.h"
#include "plan.h"

/* Fills L's scene: photo, scale, the settings in mm (L->mm), area, face,
 * hairline, regions and the automatic measurements of PLAN.  What it made
 * is freed with L (smp_layout_free). */
smp_status scene_build(smp_layout *L, const smp_plan *plan, smp_error *err) SMP_MUST_CHECK;

#endif
