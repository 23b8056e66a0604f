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

/* Load the GeniusWeb scenario of a folder (geniusweb.c): its one domain file (a JSON object
 * with "issuesValues") and every profile beside it, in file-name order. */
int geniusweb_load_dir(truce_scenario **out, const char *dir, const char *name,
                       const truce_load_options *opts, truce_error *err);

/* Both readers name parties after their profile files: two files of one name (in two folders,
 * or names differing only in bytes that are not UTF-8) would give two parties one name. 0, or
 * TRUCE_EINVAL naming both files. */
int genius_check_party_names(const truce_scenario *s, const char *const *profile_paths,
                             truce_error *err);

#endif
