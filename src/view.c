#include "view.h"

#include "layout.h"

void result_view_of(const smp_layout *L, result_view *v)
{
    v->photo = &L->photo;
    v->after_photo = L->shave.shaved.px ? &L->shave.shaved : &L->photo;
    v->scale = L->scale;
    v->area = &L->area;
    v->line = L->has_line ? &L->line : NULL;
    v->face = L->face.found ? &L->face : NULL;
    v->ears = L->ears.n ? &L->ears : NULL;
    v->dots = L->dots.d;
    v->n_dots = L->dots.n;
    v->shown = L->shown;
    v->n_shown = L->n_shown;
    v->stubble = L->shave.stubble.d;
    v->n_stubble = L->shave.stubble.n;
    v->hair = L->regions.hair;
    v->hair_w = L->regions.hair_w;
    v->hair_h = L->regions.hair_h;
    if (!v->hair && L->kept) {
        v->hair = L->kept;
        v->hair_w = L->photo.w;
        v->hair_h = L->photo.h;
    }
    v->mm = &L->mm;
    v->stats = &L->stats;
}
