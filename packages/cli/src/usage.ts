/** The usage text every `tapelog` usage error prints. */
export const USAGE = `usage:
  tapelog runs <baseDir> <instanceId> [--json]
  tapelog verify <runPath> [--json]           exit 0 clean, 1 corrupt, 2 cannot run
  tapelog scan <runPath> [--from N] [--to N] [--reverse] [--json]
  tapelog replay <runPath> [--from-seq A] [--to-seq B] [--topic T]... [--payload-type P]... [--decode none|msgpack] [--json]
  tapelog export <runPath> --format parquet|arrow|jsonl --out FILE [--from-seq A] [--to-seq B] [--decode none|msgpack] [--json]
  tapelog lookup <runPath> <kind> <key> [--json]
  tapelog retention <baseDir> <instanceId> [--mode full|bounded:N|snapshot-anchored] [--json]
  tapelog markers verify <markersPath> [--entry-high-watermark N] [--json]
  tapelog inspect <baseDir> [--port N] [--instance ID[,ID...]]   read-only web page on 127.0.0.1
  tapelog --version | --help
<runPath> is a run directory: <baseDir>/<instanceId>/<runId>.level (LevelDB) or <runId>.lmdb (LMDB)
  or postgres://user:password@host:port/<database>/<instanceId>/<runId>[?schema=name]
  (and <baseDir> postgres://user:password@host:port/<database>[?schema=name], or lmdb:<dir>;
  a bare <baseDir> holding only LMDB runs is read as LMDB)
`;
