#!/bin/sh
# An idle redis-server with its background threads (bio) and 4 I/O threads, on a Unix socket
# of its own and no port, saving nothing, its timer (serverCron) once a second rather than ten
# times. Says "ready", then becomes the server (same PID).
dir=$(mktemp -d)
echo ready
exec redis-server --port 0 --unixsocket "$dir/redis.sock" --dir "$dir" --save '' --appendonly no \
    --io-threads 4 --hz 1 --logfile /dev/null
