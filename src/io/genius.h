/* genius.h: internal entry points of the GENIUS XML reader and writer. */
#ifndef TRUCE_IO_GENIUS_H
#define TRUCE_IO_GENIUS_H

#include <libxml/tree.h>

#include "truce.h"

/* Build a scenario from already parsed documents (name NULL: the domain
 * file's base name). Documents stay owned by the caller. */
int genius_load_docs(truce_scenario **out, xmlDocPtr domain, const char *domain_path,
                     xmlDocPtr *profiles, const char *const *profile_paths, size_t n_profiles,
                     const char *name, const truce_load_options *opts, truce_error *err);

#endif
