#!/usr/bin/env bash
# Makes the partition and FAT seeds of the fuzz corpus from real tools (dosfstools, mtools, fdisk's sfdisk,
# gdisk's sgdisk), the same ones the storage host tests use. The output is committed under corpus/; run again
# only to change the seeds:  bash tests/Fuzz/make-storage-seeds.sh tests/Fuzz/corpus
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
corpus=$(realpath "${1:-$here/corpus}")
fuzz=(dotnet "$here/bin/Debug/net10.0/Cosmos.Fuzz.dll")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$corpus"/{partition,fat-boot,fat-directory,fat-volume}
export MTOOLS_SKIP_CHECK=1

# A small tree: short and long names, a subdirectory, a file of several clusters, a deleted entry.
fill() {
  local img=$1
  printf 'hello from %s\n' "$img" > "$work/short.txt"
  python3 -c 'import sys; sys.stdout.buffer.write(bytes((i * 7 + 3) % 251 for i in range(5000)))' > "$work/pattern.bin"
  mcopy -i "$img" "$work/short.txt" ::/README.TXT
  mcopy -i "$img" "$work/short.txt" "::/A long file name with spaces.txt"
  mmd -i "$img" ::/Docs
  mcopy -i "$img" "$work/pattern.bin" ::/Docs/pattern.bin
  mcopy -i "$img" "$work/short.txt" "::/Docs/été ünïcode.txt"
  mcopy -i "$img" "$work/short.txt" ::/GONE.TXT
  mdel -i "$img" ::/GONE.TXT
}

for spec in "12 2048" "16 16384" "32 40960"; do
  set -- $spec
  img="$work/fat$1.img"
  mkfs.fat -C -F "$1" -n COSMOS ${1/32/-s 1} "$img" "$2" >/dev/null 2>&1 || mkfs.fat -C -F "$1" -n COSMOS "$img" "$2" >/dev/null
  fill "$img"
  "${fuzz[@]}" fat-chunks "$img" "$corpus/fat-volume/fat$1"
  head -c 512 "$img" > "$corpus/fat-boot/fat$1"
done

# Directory seeds: the FAT12 root directory (long-name chains, a deleted entry) and the Docs cluster.
python3 - "$work/fat12.img" "$corpus/fat-directory" <<'PY'
import struct, sys
image = open(sys.argv[1], 'rb').read()
bps, spc, reserved, fats, roots = struct.unpack_from('<HBHBH', image, 11)
fatsz = struct.unpack_from('<H', image, 22)[0]
root = (reserved + fats * fatsz) * bps
rootdir = image[root:root + roots * 32]
end = next(i for i in range(0, len(rootdir), 32) if rootdir[i] == 0)
open(sys.argv[2] + '/root', 'wb').write(rootdir[:end + 32])
data = root + roots * 32
for i in range(0, end, 32):
    if rootdir[i + 11] & 0x10 and rootdir[i] not in (0xE5,) and rootdir[i + 11] != 0x0F:
        cluster = struct.unpack_from('<H', rootdir, i + 26)[0]
        start = data + (cluster - 2) * spc * bps
        open(sys.argv[2] + '/subdirectory', 'wb').write(image[start:start + spc * bps])
PY

# Partition seeds: the first sectors of a 64 MiB disk (the harness's size), MBR with an extended chain, and GPT.
disk="$work/disk.img"
truncate -s 64M "$disk"
# Small starting sectors keep the extended chain (EBRs at 104, 123, 141) inside a 72 KiB seed.
printf 'label: dos\n8,64,c\n72,32,83\n104,96,5\n106,16,83\n124,16,b\n142,,83\n' | sfdisk -q "$disk" >/dev/null
head -c $((144 * 512)) "$disk" > "$corpus/partition/mbr-extended"
head -c 512 "$disk" > "$corpus/partition/mbr-primary"
truncate -s 0 "$disk"; truncate -s 64M "$disk"
sgdisk -q -n 1:2048:+8M -t 1:ef00 -c 1:"EFI system" -n 2:0:+16M -t 2:0700 -c 2:"Données" "$disk" >/dev/null
head -c $((34 * 512)) "$disk" > "$corpus/partition/gpt"
