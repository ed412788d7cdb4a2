#!/usr/bin/env python3
"""Run a command and write each line of its standard output to OUTFILE
prefixed with the wall-clock time it arrived (seconds, 3 decimals).
The command's pid goes to PIDFILE.  Usage: stamp.py PIDFILE OUTFILE CMD...
"""
import subprocess
import sys
import time

pidfile, outfile, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
proc = subprocess.Popen(cmd, stdout=subprocess.PIPE)
with open(pidfile, "w") as f:
    f.write("%d\n" % proc.pid)
with open(outfile, "w") as out:
    for line in proc.stdout:
        out.write("%.3f %s" % (time.time(), line.decode("ascii", "replace")))
        out.flush()
sys.exit(proc.wait())
