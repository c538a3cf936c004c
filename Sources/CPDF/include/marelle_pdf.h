// A narrow C face on cairo (the PDF surface) and pango (text layout), so that Swift sees
// neither glib's types nor its headers: the few drawing calls the documents need.
#ifndef MARELLE_PDF_H
#define MARELLE_PDF_H

#include <stddef.h>

typedef struct marelle_pdf marelle_pdf;

enum { MARELLE_PDF_LEFT = 0, MARELLE_PDF_RIGHT = 1, MARELLE_PDF_CENTER = 2 };

/// A document of pages `width` × `height` points; NULL when out of memory.
marelle_pdf *marelle_pdf_new(double width, double height, const char *title);

/// Lays `text` (plain UTF-8, never markup) out `width` points wide in DejaVu Sans; draws it
/// with its top left at (x, y) in `gray` when `draw` is not 0. Returns its height in points.
double marelle_pdf_text(marelle_pdf *pdf, const char *text, double x, double y, double width, double size, int bold,
                        int align, double gray, int draw);

void marelle_pdf_fill_rect(marelle_pdf *pdf, double x, double y, double width, double height, double r, double g,
                           double b);
void marelle_pdf_line(marelle_pdf *pdf, double x1, double y1, double x2, double y2, double gray, double width);
void marelle_pdf_new_page(marelle_pdf *pdf);

/// Ends the document. On success returns 0 and points `bytes` at the file (valid until
/// `marelle_pdf_free`); else returns cairo's status and sets `message`.
int marelle_pdf_finish(marelle_pdf *pdf, const unsigned char **bytes, size_t *length, const char **message);

void marelle_pdf_free(marelle_pdf *pdf);

#endif
