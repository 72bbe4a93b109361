"""What the host was doing when a snapshot was taken: the task at the
bottom of the frames (the meta section's task kind), so that a resumed VM
knows what the end of the restored call means.

    TASK_IDLE  no call was running (the snapshot holds no frames)
    TASK_INIT  a module's initialiser, run before a program's main
    TASK_MAIN  a program's main (its result is the exit status)
    TASK_CALL  a host call (a named function's result goes back to the host)

Kept apart so that a VM that never suspends imports nothing more.
"""

TASK_IDLE, TASK_INIT, TASK_MAIN, TASK_CALL = 0, 1, 2, 3
# The task of a call that names none (a method or function value called by
# the host): a resumed snapshot of it runs to its end, its result dropped.
ANON_TASK = (TASK_CALL, "", "")

__all__ = ["TASK_IDLE", "TASK_INIT", "TASK_MAIN", "TASK_CALL", "ANON_TASK"]
