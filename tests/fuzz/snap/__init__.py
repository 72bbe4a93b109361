"""The hostile-snapshot fuzzer's parts (the command is tests/fuzz/snapshots.py).

`seeds` builds the corpus of real snapshots and works out their facts,
`image` decodes and re-packs a snapshot, `forge` mutates one, `worker`
restores and resumes one in a worker process and says how it ended.
"""
