"""Run one command and write its wall time, peak RSS and exit status.

    python -I -S bench/spawn.py RESULT_FILE COMMAND [ARGS...]

Owns only that.  It is the middle process between the benchmark driver and
the measured command, and it exists because of how Linux counts peak RSS:
a process's peak (`ru_maxrss`) starts at the resident size of the image
that called exec, so a child exec'd straight from the driver would report
at least the driver's own size.  This file imports nothing but builtin
modules and runs with `-I -S`, so the floor it leaves is some 5 MiB, under
any program measured; and the time is taken here, around fork and wait4,
so its own start-up is not measured either.

The command inherits this process's standard streams (the driver points
them at files).  RESULT_FILE gets one line: `WALL_SECONDS MAXRSS_KIB
EXIT_STATUS` (a negative status is the signal that ended the command;
127: it could not be started).
"""

import os
import sys
import time


def main() -> None:
    result, cmd = sys.argv[1], sys.argv[2:]
    t0 = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        except OSError as e:
            os.write(2, f"spawn: {cmd[0]}: {e.strerror}\n".encode())
        os._exit(127)            # as a shell says "command not found"
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - t0
    with open(result, "w") as f:
        # ru_maxrss is in KiB on Linux
        f.write(f"{wall!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")


if __name__ == "__main__":
    main()
