#include "marelle_xml.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *buffer;
    size_t capacity;
    size_t used;
    int count;
} marelle_xml_errors;

#if LIBXML_VERSION >= 21200
static void marelle_xml_collect(void *user, const xmlError *error)
#else
static void marelle_xml_collect(void *user, xmlErrorPtr error)
#endif
{
    marelle_xml_errors *errors = (marelle_xml_errors *)user;
    if (errors == NULL || error == NULL || error->message == NULL) return;
    errors->count++;
    size_t room = errors->capacity - errors->used;
    if (room < 2) return;
    // libxml2's messages end with a newline.
    int written = snprintf(errors->buffer + errors->used, room, "%d\t%s", error->line, error->message);
    if (written > 0) errors->used += ((size_t)written < room) ? (size_t)written : room - 1;
}

// Documents from outside: no network, no entity substitution (no XML_PARSE_NOENT), no DTD
// loading, nothing printed on stderr.
static const int safe_options = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING;

int marelle_xsd_validate(const char *schema_path, const char *xml, int length, char *buffer, size_t capacity) {
    marelle_xml_errors errors = {buffer, capacity, 0, 0};
    if (capacity > 0) buffer[0] = 0;
    xmlSchemaParserCtxtPtr parser = xmlSchemaNewParserCtxt(schema_path);
    if (parser == NULL) return -1;
    xmlSchemaSetParserStructuredErrors(parser, marelle_xml_collect, &errors);
    xmlSchemaPtr schema = xmlSchemaParse(parser);
    xmlSchemaFreeParserCtxt(parser);
    if (schema == NULL) return -1;
    errors.count = 0;
    errors.used = 0;
    if (capacity > 0) buffer[0] = 0;

    xmlDocPtr document = xmlReadMemory(xml, length, "direct-debit.xml", "UTF-8", safe_options);
    if (document == NULL) {
        xmlSchemaFree(schema);
        return -2;
    }
    int result = -1;
    xmlSchemaValidCtxtPtr validator = xmlSchemaNewValidCtxt(schema);
    if (validator != NULL) {
        xmlSchemaSetValidStructuredErrors(validator, marelle_xml_collect, &errors);
        int status = xmlSchemaValidateDoc(validator, document);
        result = status == 0 ? 0 : (errors.count > 0 ? errors.count : (status > 0 ? status : -1));
        xmlSchemaFreeValidCtxt(validator);
    }
    xmlFreeDoc(document);
    xmlSchemaFree(schema);
    return result;
}

typedef struct {
    char *buffer;
    size_t capacity;
    size_t used;
    int overflow;
} outline_writer;

static void outline_put(outline_writer *out, char mark, const char *text) {
    if (out->overflow) return;
    size_t length = strlen(text);
    if (out->used + length + 3 > out->capacity) {
        out->overflow = 1;
        return;
    }
    out->buffer[out->used++] = mark;
    for (size_t i = 0; i < length; i++) {
        // A line a value: newlines inside a text become spaces.
        char c = text[i];
        out->buffer[out->used++] = (c == '\n' || c == '\r') ? ' ' : c;
    }
    out->buffer[out->used++] = '\n';
}

static int only_text_children(xmlNodePtr node) {
    for (xmlNodePtr child = node->children; child != NULL; child = child->next) {
        if (child->type == XML_ELEMENT_NODE) return 0;
    }
    return 1;
}

static void outline_node(outline_writer *out, xmlNodePtr node, int depth) {
    // camt.054 nests about ten deep; a deeper document is not one.
    if (depth > 64) {
        out->overflow = 1;
        return;
    }
    for (xmlNodePtr child = node; child != NULL; child = child->next) {
        if (child->type != XML_ELEMENT_NODE) continue;
        outline_put(out, '+', (const char *)child->name);
        if (only_text_children(child)) {
            xmlChar *content = xmlNodeGetContent(child);
            if (content != NULL) {
                outline_put(out, '=', (const char *)content);
                xmlFree(content);
            }
        } else {
            outline_node(out, child->children, depth + 1);
        }
        outline_put(out, '-', "");
    }
}

long marelle_xml_outline(const char *xml, int length, char *buffer, size_t capacity) {
    xmlDocPtr document = xmlReadMemory(xml, length, "notice.xml", NULL, safe_options);
    if (document == NULL) return -1;
    outline_writer out = {buffer, capacity, 0, 0};
    outline_node(&out, xmlDocGetRootElement(document), 0);
    xmlFreeDoc(document);
    return out.overflow ? -2 : (long)out.used;
}
