/* The picture's format by a file name: plain string work, in the binary (the command checks
 * its output before loading the module) and in the module (its error messages). */
#include <string.h>
#include <strings.h>

#include "picture.h"

picture_format picture_format_for(const char *path)
{
    size_t n = path ? strlen(path) : 0;
    if (n >= 4 && !strcasecmp(path + n - 4, ".png"))
        return PICTURE_PNG;
    if (n >= 4 && !strcasecmp(path + n - 4, ".pdf"))
        return PICTURE_PDF;
    return PICTURE_SVG;
}

const char *picture_format_name(picture_format f)
{
    return f == PICTURE_PNG ? "PNG" : f == PICTURE_PDF ? "PDF" : "SVG";
}
