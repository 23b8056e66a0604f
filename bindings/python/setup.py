# setup.py: installs the truce package (pure Python over ctypes) and copies libtruce next to it,
# so that the installed package needs no TRUCE_LIBRARY and no compiler (README.md, "Install").
"""Where the copied library comes from, in order: the file TRUCE_LIBRARY names when it is set
at install time, else the build/ folder of the source tree this file sits in (`make build`
puts build/libtruce.so.0 there). Without either, the package is installed alone and looks
for TRUCE_LIBRARY or a system libtruce (ld.so's search path) when imported."""

import os
import shutil
import sys

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.dist import Distribution

HERE = os.path.dirname(os.path.abspath(__file__))


def library():
    env = os.environ.get("TRUCE_LIBRARY")
    if env:
        if not os.path.isfile(env):
            sys.exit("setup.py: TRUCE_LIBRARY=%s: no such file" % env)
        return env
    built = os.path.join(HERE, "..", "..", "build", "libtruce.so.0")
    return built if os.path.isfile(built) else None


class BuildPy(build_py):
    """build_py, then libtruce copied into the package as truce/libtruce.so."""

    def run(self):
        super().run()
        lib = library()
        if lib is None:
            print("setup.py: no libtruce found (set TRUCE_LIBRARY or run `make build` first); "
                  "the package will look for TRUCE_LIBRARY or a system libtruce at run time",
                  file=sys.stderr)
            return
        target = os.path.join(self.build_lib, "truce", "libtruce.so")
        shutil.copyfile(os.path.realpath(lib), target)
        print("setup.py: bundled %s as %s" % (os.path.realpath(lib), target), file=sys.stderr)


class Binary(Distribution):
    """A wheel holding libtruce is specific to the platform, not pure Python."""

    def has_ext_modules(self):
        return library() is not None


setup(cmdclass={"build_py": BuildPy}, distclass=Binary)
