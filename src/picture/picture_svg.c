/* The SVG's text layer. cairo's SVG surface writes every glyph as an outline, so the picture's
 * words cannot be searched, selected or read by a program; this adds them as real text: a
 * <title>, a <desc>, and one transparent <text> per label at its place, written with libxml2's
 * text writer (which escapes what the target wrote: names and paths are hostile). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "picture_int.h"

static int text_element(xmlTextWriterPtr w, const pic_label *l)
{
    char num[32];
    int rc = xmlTextWriterStartElement(w, BAD_CAST "text");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "class", BAD_CAST l->kind);
    if (l->tid) {
        snprintf(num, sizeof num, "%d", l->tid);
        rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "data-tid", BAD_CAST num);
    }
    snprintf(num, sizeof num, "%.1f", l->x);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "x", BAD_CAST num);
    snprintf(num, sizeof num, "%.1f", l->y);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "y", BAD_CAST num);
    snprintf(num, sizeof num, "%.1f", l->size);
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "font-size", BAD_CAST num);
    rc |= xmlTextWriterWriteString(w, BAD_CAST l->text);
    rc |= xmlTextWriterEndElement(w);
    return rc < 0 ? -1 : 0;
}

/* The layer as one XML fragment into buf. */
static bool write_layer(const pic_ctx *c, const char *title, xmlBufferPtr buf)
{
    xmlTextWriterPtr w = xmlNewTextWriterMemory(buf, 0);
    if (!w)
        return false;
    int rc = xmlTextWriterStartElement(w, BAD_CAST "title");
    rc |= xmlTextWriterWriteString(w, BAD_CAST title);
    rc |= xmlTextWriterEndElement(w);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "desc");
    rc |= xmlTextWriterWriteString(w, BAD_CAST "Drawn by threadlens with cairo and pango. The text "
                                   "layer (g id=threadlens-text) repeats every label as text.");
    rc |= xmlTextWriterEndElement(w);
    rc |= xmlTextWriterStartElement(w, BAD_CAST "g");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "id", BAD_CAST "threadlens-text");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "font-family", BAD_CAST "DejaVu Sans, sans-serif");
    rc |= xmlTextWriterWriteAttribute(w, BAD_CAST "fill-opacity", BAD_CAST "0");
    for (size_t i = 0; i < c->nlabels && rc >= 0; i++)
        rc |= text_element(w, &c->labels[i]);
    rc |= xmlTextWriterEndElement(w);
    rc |= xmlTextWriterFlush(w);
    xmlFreeTextWriter(w);
    return rc >= 0;
}

bool svg_add_text_layer(const pic_ctx *c, const char *title, const char *svg, size_t len,
                        char **out, size_t *outlen)
{
    /* after the root element's start tag, so the <title> is the document's */
    const char *root = svg ? strstr(svg, "<svg") : NULL;
    const char *open_end = root ? strchr(root, '>') : NULL;
    if (!open_end || (size_t)(open_end - svg) >= len)
        return false;
    size_t head = (size_t)(open_end - svg) + 1;
    xmlBufferPtr buf = xmlBufferCreate();
    if (!buf)
        return false;
    bool ok = write_layer(c, title, buf);
    size_t n = ok ? (size_t)xmlBufferLength(buf) : 0;
    char *res = ok ? malloc(len + n + 2) : NULL;
    if (res) {
        memcpy(res, svg, head);
        res[head] = '\n';
        memcpy(res + head + 1, xmlBufferContent(buf), n);
        memcpy(res + head + 1 + n, svg + head, len - head);
        *out = res;
        *outlen = len + n + 1;
    }
    xmlBufferFree(buf);
    return res != NULL;
}
