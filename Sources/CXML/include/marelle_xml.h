// libxml2 behind a small C face: checking direct-debit files against the ISO 20022 schemas,
// and reading the bank's camt.054 notices. Only plain C types cross it: Debian's libxml2 is
// built with ICU, and its headers would clash with Foundation's own copy of ICU's.
#ifndef MARELLE_XML_H
#define MARELLE_XML_H
#include <stddef.h>

/// Checks `xml` against the schema file at `schema_path`. Returns 0 when valid, the number of
/// errors when not (in `buffer`, one "line<TAB>message" a line), -1 when the schema itself
/// cannot be read, -2 when `xml` is not well-formed XML.
int marelle_xsd_validate(const char *schema_path, const char *xml, int length, char *buffer, size_t capacity);

/// Parses a document from outside (no network, no entities, no DTD) and writes its elements
/// to `buffer` as lines: "+" and the element's local name when it opens, "=" and its text
/// when it holds text only, "-" when it closes. Returns the bytes written, -1 when `xml` is
/// not well-formed, -2 when `buffer` is too small.
long marelle_xml_outline(const char *xml, int length, char *buffer, size_t capacity);

#endif
