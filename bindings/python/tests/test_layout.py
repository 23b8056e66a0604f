# test_layout.py: the ctypes mirrors of truce.h's structs have the C sizes and field offsets, and
# the option defaults of the binding equal the _INIT macros (printed by the layout program).
"""Struct layouts and defaults against the C compiler's."""

import ctypes
import json
import os
import subprocess
import unittest

from truce import _lib

MIRRORS = {
    "truce_error": _lib.Error,
    "truce_load_options": _lib.LoadOptions,
    "truce_generate_options": _lib.GenerateOptions,
    "truce_analysis_options": _lib.AnalysisOptions,
    "truce_check_options": _lib.CheckOptions,
    "truce_robust_options": _lib.RobustOptions,
    "truce_space_options": _lib.SpaceOptions,
    "truce_negotiation_options": _lib.NegotiationOptions,
    "truce_mediation_options": _lib.MediationOptions,
    "truce_turn": _lib.Turn,
    "truce_agent_setup": _lib.AgentSetup,
    "truce_event": _lib.Event,
    "truce_agent_class": _lib.AgentClass,
    "truce_agent_spec": _lib.AgentSpec,
    "truce_draft": _lib.Draft,
    "truce_review": _lib.Review,
    "truce_tournament_definition": _lib.TournamentDefinition,
    "truce_tournament_run_options": _lib.TournamentRunOptions,
    "truce_tournament_status": _lib.TournamentStatus,
}


class LayoutTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        program = os.environ.get("TRUCE_LAYOUT")
        if not program:
            raise unittest.SkipTest("TRUCE_LAYOUT not set (ctest sets it)")
        cls.c = json.loads(subprocess.run([program], capture_output=True, check=True,
                                          text=True).stdout)

    def test_every_mirrored_struct_has_the_c_size_and_offsets(self):
        self.assertEqual(sorted(self.c["structs"]), sorted(MIRRORS))
        for name, struct in MIRRORS.items():
            c = self.c["structs"][name]
            self.assertEqual(ctypes.sizeof(struct), c["size"], name)
            fields = [f[0] for f in struct._fields_]
            self.assertEqual(fields, list(c["fields"]), name)
            for field, offset in c["fields"].items():
                self.assertEqual(getattr(struct, field).offset, offset, "%s.%s" % (name, field))

    def test_option_defaults_are_the_init_macros(self):
        for name, values in self.c["defaults"].items():
            o = _lib.options(MIRRORS[name])
            for field, value in values.items():
                self.assertEqual(getattr(o, field), value, "%s.%s" % (name, field))


if __name__ == "__main__":
    unittest.main()
