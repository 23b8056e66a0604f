#!/bin/sh
# proc_early_exit.sh: exits at once, before the handshake.
exit 0
