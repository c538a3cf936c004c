#include "marelle_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <pango/pangocairo.h>
#include <stdlib.h>
#include <string.h>

struct marelle_pdf {
    cairo_surface_t *surface;
    cairo_t *cr;
    PangoContext *pango;
    unsigned char *bytes;
    size_t length;
    size_t capacity;
    int failed;
};

// cairo hands the file over in pieces; they are gathered in memory (a document is a few kB).
static cairo_status_t gather(void *closure, const unsigned char *data, unsigned int length) {
    marelle_pdf *pdf = closure;
    if (pdf->length + length > pdf->capacity) {
        size_t capacity = pdf->capacity ? pdf->capacity : 16384;
        while (capacity < pdf->length + length) capacity *= 2;
        unsigned char *grown = realloc(pdf->bytes, capacity);
        if (!grown) {
            pdf->failed = 1;
            return CAIRO_STATUS_NO_MEMORY;
        }
        pdf->bytes = grown;
        pdf->capacity = capacity;
    }
    memcpy(pdf->bytes + pdf->length, data, length);
    pdf->length += length;
    return CAIRO_STATUS_SUCCESS;
}

marelle_pdf *marelle_pdf_new(double width, double height, const char *title) {
    marelle_pdf *pdf = calloc(1, sizeof *pdf);
    if (!pdf) return NULL;
    pdf->surface = cairo_pdf_surface_create_for_stream(gather, pdf, width, height);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_TITLE, title);
    cairo_pdf_surface_set_metadata(pdf->surface, CAIRO_PDF_METADATA_CREATOR, "Marelle");
    pdf->cr = cairo_create(pdf->surface);
    pdf->pango = pango_cairo_create_context(pdf->cr);
    // Sizes in points, as the page: pango's default of 96 dpi would print 10 pt as 13.
    pango_cairo_context_set_resolution(pdf->pango, 72);
    return pdf;
}

double marelle_pdf_text(marelle_pdf *pdf, const char *text, double x, double y, double width, double size, int bold,
                        int align, double gray, int draw) {
    PangoLayout *layout = pango_layout_new(pdf->pango);
    PangoFontDescription *font = pango_font_description_new();
    pango_font_description_set_family(font, "DejaVu Sans");
    pango_font_description_set_absolute_size(font, size * PANGO_SCALE);
    pango_font_description_set_weight(font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
    pango_layout_set_font_description(layout, font);
    pango_font_description_free(font);
    pango_layout_set_width(layout, (int)(width * PANGO_SCALE));
    pango_layout_set_wrap(layout, PANGO_WRAP_WORD_CHAR);
    pango_layout_set_alignment(layout, align == MARELLE_PDF_RIGHT    ? PANGO_ALIGN_RIGHT
                                       : align == MARELLE_PDF_CENTER ? PANGO_ALIGN_CENTER
                                                                     : PANGO_ALIGN_LEFT);
    pango_layout_set_text(layout, text, -1);
    int w = 0, h = 0;
    pango_layout_get_size(layout, &w, &h);
    if (draw) {
        cairo_set_source_rgb(pdf->cr, gray, gray, gray);
        cairo_move_to(pdf->cr, x, y);
        pango_cairo_show_layout(pdf->cr, layout);
    }
    g_object_unref(layout);
    return (double)h / PANGO_SCALE;
}

void marelle_pdf_fill_rect(marelle_pdf *pdf, double x, double y, double width, double height, double r, double g,
                           double b) {
    cairo_set_source_rgb(pdf->cr, r, g, b);
    cairo_rectangle(pdf->cr, x, y, width, height);
    cairo_fill(pdf->cr);
}

void marelle_pdf_line(marelle_pdf *pdf, double x1, double y1, double x2, double y2, double gray, double width) {
    cairo_set_source_rgb(pdf->cr, gray, gray, gray);
    cairo_set_line_width(pdf->cr, width);
    cairo_move_to(pdf->cr, x1, y1);
    cairo_line_to(pdf->cr, x2, y2);
    cairo_stroke(pdf->cr);
}

void marelle_pdf_new_page(marelle_pdf *pdf) {
    cairo_show_page(pdf->cr);
}

int marelle_pdf_finish(marelle_pdf *pdf, const unsigned char **bytes, size_t *length, const char **message) {
    cairo_surface_finish(pdf->surface);
    cairo_status_t status = cairo_surface_status(pdf->surface);
    if (status == CAIRO_STATUS_SUCCESS && pdf->failed) status = CAIRO_STATUS_NO_MEMORY;
    *bytes = pdf->bytes;
    *length = pdf->length;
    *message = cairo_status_to_string(status);
    return (int)status;
}

void marelle_pdf_free(marelle_pdf *pdf) {
    if (!pdf) return;
    g_object_unref(pdf->pango);
    cairo_destroy(pdf->cr);
    cairo_surface_destroy(pdf->surface);
    free(pdf->bytes);
    free(pdf);
}
