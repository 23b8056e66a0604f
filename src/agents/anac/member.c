/* member.c: agents run inside another agent's state (MetaAgent delegates to
 * one, Caduceus polls several): their class, state size and start. */
#include <string.h>

#include "anac.h"

const truce_agent_class *anac_class(const char *name)
{
    for (size_t i = 0; i < anac_agent_count; i++)
        if (!strcmp(anac_agents[i].cls->name, name))
            return anac_agents[i].cls;
    return NULL;
}

size_t member_bytes(const truce_agent_class *cls, const truce_space *sp)
{
    size_t n = cls->state_size_for ? cls->state_size_for(sp, cls->payload) : cls->state_size;
    return CARVE_ROUND(n ? n : 1);
}

int member_start(member *m, const truce_agent_class *cls, const truce_agent_setup *setup, size_t k,
                 char **cursor, truce_error *err)
{
    size_t bytes = member_bytes(cls, setup->space);
    m->cls = cls;
    /* no zeroing here: the member's bytes are part of its host's state, which the engine
     * zeroes before every init of a class without release (truce.h), and MetaAgent and
     * Caduceus have none and write nothing there before this call */
    m->state = carve(cursor, bytes);
    truce_agent_setup own = *setup;
    own.params = "";
    /* a distinct stream per member, fixed by the agent's own seed */
    own.seed = setup->seed ^ ((uint64_t)(k + 1) * 0x9E3779B97F4A7C15ull);
    return cls->init(m->state, &own, err, cls->payload);
}
