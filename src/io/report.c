/* report.c: JSON pieces shared by reports and traces (see report.h), so that
 * every report spells outcomes the same way. */
#include "report.h"

json_t *report_outcome(const truce_scenario *s, const uint32_t *o)
{
    json_t *j = json_object();
    for (size_t i = 0; j && i < s->n_issues; i++) {
        char label[512];
        truce_issue_option_label(s, i, o[i], label, sizeof label);
        json_object_set_new(j, s->issues[i].name, json_string(label));
    }
    return j;
}
