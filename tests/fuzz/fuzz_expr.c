/* fuzz_expr.c: libFuzzer target for the constraint expression parser (src/core/expr.c): the input
 * is parsed against a fixed scenario; a refusal must name a place inside the text, and what
 * parses must evaluate the same way exactly and in three-valued logic on partial outcomes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/core/expr.h"
#include "../../src/core/scenario.h"
#include "fuzzutil.h"

static truce_scenario *scenario;

static void load_scenario(void)
{
    static int tried;
    if (tried)
        return;
    tried = 1;
    static const char yaml[] = "truce: 1\n"
                               "name: fuzz-expr\n"
                               "issues:\n"
                               "  - id: x\n"
                               "    options: [a, b, c]\n"
                               "    attributes: {cost: [1, 2.5, -4], risk: [0.1, 0.2, 0.4]}\n"
                               "  - id: n\n"
                               "    type: integer\n"
                               "    range: [-1, 2]\n"
                               "    attributes: {cost: [0, 1, 1e6, 5]}\n"
                               "  - id: size\n"
                               "    options: ['10', '20', '4e1']\n"
                               "  - id: r\n"
                               "    type: real\n"
                               "    range: [0, 1]\n"
                               "    steps: 3\n"
                               "parties:\n"
                               "  - id: p\n"
                               "    weights: {x: 1}\n"
                               "    values: {x: {a: 1, b: 0.5, c: 0}}\n";
    char path[512];
    fuzz_path("expr.yaml", path, sizeof path);
    fuzz_write(path, yaml, sizeof yaml - 1);
    truce_error err;
    if (truce_scenario_load_yaml(&scenario, path, NULL, &err)) {
        fprintf(stderr, "fuzz_expr: cannot load the scenario: %s\n", err.message);
        abort();
    }
}

/* Every outcome: the exact value, and every partial view consistent with it. */
static void check_meaning(const expr_rule *rule)
{
    const truce_scenario *s = scenario;
    size_t ni = s->n_issues;
    for (uint32_t i = 0; i < rule->n_issues; i++) {
        FUZZ_CHECK(rule->issues[i] < ni);
        FUZZ_CHECK(i == 0 || rule->issues[i] > rule->issues[i - 1]);
    }
    uint32_t o[4] = {0, 0, 0, 0};
    for (;;) {
        int full = expr_holds(rule->root, o);
        FUZZ_CHECK(expr_partial(rule->root, o, 0) == full);
        for (uint32_t level = 1; level <= ni; level++) {
            int v = expr_partial(rule->root, o, level);
            FUZZ_CHECK(v == EXPR_YES || v == EXPR_NO || v == EXPR_MAYBE);
            if (v != EXPR_MAYBE)
                FUZZ_CHECK(v == full);
        }
        size_t i = 0;
        while (i < ni && ++o[i] == s->issues[i].n_options)
            o[i++] = 0;
        if (i == ni)
            break;
    }
    if (rule->n_issues == 1) {
        /* the one-issue form the loader folds into a clause */
        uint32_t i = rule->issues[0], scratch[4] = {0, 0, 0, 0};
        unsigned char allowed[8];
        expr_options(rule->root, i, s->issues[i].n_options, scratch, allowed);
        for (uint32_t k = 0; k < s->issues[i].n_options; k++) {
            uint32_t w[4] = {0, 0, 0, 0};
            w[i] = k;
            FUZZ_CHECK(allowed[k] == expr_holds(rule->root, w));
        }
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096)
        return 0;
    load_scenario();
    char *text = malloc(size + 1);
    FUZZ_CHECK(text != NULL);
    memcpy(text, data, size);
    text[size] = '\0';
    mem m;
    mem_init(&m, NULL);
    arena a;
    arena_init(&a, &m);
    expr_rule rule;
    expr_error where;
    int rc = expr_parse(&rule, &a, scenario, text, &where);
    if (rc) {
        FUZZ_CHECK(rc == TRUCE_EPARSE);
        FUZZ_CHECK(where.offset <= strlen(text));
        FUZZ_CHECK(where.message[0] != '\0' && !strchr(where.message, '\n'));
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_expr: refused at %zu: %s\n", where.offset, where.message);
    } else {
        FUZZ_CHECK(strcmp(rule.text, text) == 0);
        check_meaning(&rule);
        if (fuzz_verbose())
            fprintf(stderr, "fuzz_expr: parsed, %u issues\n", rule.n_issues);
    }
    arena_release(&a);
    free(text);
    return 0;
}
