/* header_test.c: truce.h must compile on its own, pedantic C11. */
#include "truce.h"

int header_test_anchor(void);
int header_test_anchor(void)
{
    return TRUCE_OK;
}
