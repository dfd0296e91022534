/* The SVG's text layer (src/picture/picture_svg.c, draw_text in picture_draw.c): what the target
 * wrote (markup characters, controls, invalid UTF-8) reaches the XML escaped, the document stays
 * well-formed, and the layer sits inside the root element with a title. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>

#include "picture_int.h"

static const char minimal[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                              "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\">\n"
                              "<rect width=\"1\" height=\"1\"/>\n</svg>\n";

/* The text of the first node matching xpath in doc (caller frees), or NULL. */
static char *first_text(xmlDocPtr doc, const char *xpath)
{
    xmlXPathContextPtr ctx = xmlXPathNewContext(doc);
    xmlXPathObjectPtr r = xmlXPathEvalExpression(BAD_CAST xpath, ctx);
    char *text = NULL;
    if (r && r->nodesetval && r->nodesetval->nodeNr > 0) {
        xmlChar *c = xmlNodeGetContent(r->nodesetval->nodeTab[0]);
        text = strdup((const char *)c);
        xmlFree(c);
    }
    xmlXPathFreeObject(r);
    xmlXPathFreeContext(ctx);
    return text;
}

static void test_hostile_label_escaped(void **state)
{
    (void)state;
    cairo_surface_t *sf = cairo_image_surface_create(CAIRO_FORMAT_RGB24, 200, 50);
    pic_ctx c = {.cr = cairo_create(sf), .keep_text = true};
    draw_text(&c, 1, 2, 10, false, 0, "thread", 42, "\"a<b>&c\" \x1b]0;t\x07 \xff\xfe \xe5\xb7\xa5");
    assert_false(c.oom);
    assert_int_equal(c.nlabels, 1);
    char *out = NULL;
    size_t n = 0;
    assert_true(svg_add_text_layer(&c, "title <&> \"q\"", minimal, strlen(minimal), &out, &n));
    xmlDocPtr doc = xmlReadMemory(out, (int)n, "t.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR);
    assert_non_null(doc);   /* well-formed */
    char *t = first_text(doc, "//*[local-name()='g'][@id='threadlens-text']/*[local-name()='text'][@class='thread'][@data-tid='42']");
    assert_non_null(t);
    /* markup characters kept as text, controls and invalid UTF-8 as \xNN, Chinese as is */
    assert_string_equal(t, "\"a<b>&c\" \\x1b]0;t\\x07 \\xff\\xfe \xe5\xb7\xa5");
    free(t);
    t = first_text(doc, "/*[local-name()='svg']/*[local-name()='title']");
    assert_non_null(t);
    assert_string_equal(t, "title <&> \"q\"");
    free(t);
    t = first_text(doc, "/*[local-name()='svg']/*[local-name()='rect']/@width");
    assert_non_null(t);   /* cairo's drawing is still there, after the layer */
    free(t);
    xmlFreeDoc(doc);
    free(out);
    free(c.labels[0].text);
    free(c.labels);
    cairo_destroy(c.cr);
    cairo_surface_destroy(sf);
}

static void test_not_an_svg(void **state)
{
    (void)state;
    pic_ctx c = {0};
    char *out = NULL;
    size_t n = 0;
    assert_false(svg_add_text_layer(&c, "t", "no root here", 12, &out, &n));
    assert_false(svg_add_text_layer(&c, "t", NULL, 0, &out, &n));
    assert_null(out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hostile_label_escaped),
        cmocka_unit_test(test_not_an_svg),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
