// face: dlib's face detector and shape predictor behind face.h's C
// interface.  Every exception stays in here.
#include <dlib/image_processing.h>
#include <dlib/image_processing/frontal_face_detector.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <exception>
#include <fstream>

extern "C" {
#include "face.h"
#include "status.h"
}

#ifndef SMP_FACE_MODEL
#define SMP_FACE_MODEL "/usr/share/dlib/shape_predictor_68_face_landmarks.dat"
#endif

extern "C" const char *face_model_path(void)
{
    const char *env = std::getenv("SMPSIM_FACE_MODEL");
    return env && *env ? env : SMP_FACE_MODEL;
}

namespace {

// P shrunk by an integer factor K (box mean) into IMG.
void shrink(const photo *p, int k, dlib::array2d<dlib::rgb_pixel> &img)
{
    int w = p->w / k, h = p->h / k;
    img.set_size(h, w);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            unsigned r = 0, g = 0, b = 0;
            for (int dy = 0; dy < k; dy++) {
                const uint32_t *row = reinterpret_cast<const uint32_t *>(p->px + (size_t)(y * k + dy) * p->stride);
                for (int dx = 0; dx < k; dx++) {
                    uint32_t v = row[x * k + dx];
                    r += (v >> 16) & 255;
                    g += (v >> 8) & 255;
                    b += v & 255;
                }
            }
            unsigned n = (unsigned)(k * k);
            img[y][x] = dlib::rgb_pixel((unsigned char)(r / n), (unsigned char)(g / n), (unsigned char)(b / n));
        }
}

/* The detector, decoded from dlib's compressed copy once per process:
 * about 0.2 s, half a photo's render. */
const dlib::frontal_face_detector &detector()
{
    static const dlib::frontal_face_detector decoded = dlib::get_frontal_face_detector();
    return decoded;
}

}  // namespace

extern "C" void face_prepare(void)
{
    try {
        (void)detector();
    } catch (const std::exception &) {
        /* face_find meets it again and says so */
    }
}

extern "C" smp_status face_find(const photo *p, int points, const char *what, face_found *out, smp_error *err)
{
    *out = face_found();
    try {
        int k = std::max(1, (std::max(p->w, p->h) + 999) / 1000);
        dlib::array2d<dlib::rgb_pixel> img;
        shrink(p, k, img);
        if (img.nr() < 40 || img.nc() < 40) return SMP_OK;
        /* Each call works on its own copy: the studio's requests run side
         * by side, and the detector keeps the image it scans. */
        dlib::frontal_face_detector detect = detector();
        std::vector<dlib::rect_detection> found;
        detect(img, found, FACE_MIN_SCORE);
        if (found.empty()) return SMP_OK;
        const dlib::rect_detection *best = &found[0];
        for (const auto &d : found)
            if (d.rect.area() > best->rect.area()) best = &d;
        out->found = 1;
        out->score = best->detection_confidence;
        out->box[0] = (double)best->rect.left() * k;
        out->box[1] = (double)best->rect.top() * k;
        out->box[2] = (double)(best->rect.right() + 1) * k;
        out->box[3] = (double)(best->rect.bottom() + 1) * k;
        if (!points) return SMP_OK;
        const char *path = face_model_path();
        std::ifstream in(path, std::ios::binary);
        if (!in)
            return smp_fail(err, SMP_EINPUT, 0,
                            "%s: cannot open the face model (install libdlib-data, or set SMPSIM_FACE_MODEL)", path);
        dlib::shape_predictor predict;
        dlib::deserialize(predict, in);
        dlib::full_object_detection shape = predict(img, best->rect);
        if (shape.num_parts() != FACE_POINTS)
            return smp_fail(err, SMP_EINPUT, 0, "%s: not a 68-point face model", path);
        for (int i = 0; i < FACE_POINTS; i++) {
            out->pt[i][0] = (shape.part(i).x() + 0.5) * k;
            out->pt[i][1] = (shape.part(i).y() + 0.5) * k;
        }
        out->has_points = 1;
        return SMP_OK;
    } catch (const std::bad_alloc &) {
        return smp_fail(err, SMP_ENOMEM, 0, "out of memory");
    } catch (const std::exception &e) {
        return smp_fail(err, SMP_EINPUT, 0, "%s: face finding failed: %s", what, e.what());
    }
}
