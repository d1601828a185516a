#!/usr/bin/python3
"""A FUSE filesystem that forgets, at a power cut, whatever was not made durable.

    lazyfs.py STORE MOUNTPOINT

Programs see an ordinary filesystem at MOUNTPOINT. What survives a cut is kept in STORE:

* a file's data as of its last fsync/fdatasync (writes since then live in memory only);
* a directory's entries (names, and which file each one is) as of its last fsync of the
  directory: a file created or renamed, or a name removed, since then is undone by a cut;
* a file that has a durable name but whose data was never synced is empty after a cut.

A cut is this process being killed (SIGKILL): nothing more reaches STORE. Mounting STORE
again shows what the disk would hold after the power came back. Like LazyFS, it models
the page cache of an operating system that writes nothing back on its own, the worst
case a program must survive.

STORE holds `meta.json` (the durable directory tree and modes) and `data/<inode>` (the
durable data of each file). Only whole-file states are kept: an fsync interrupted by the
kill may leave a file's durable data partly updated, as a disk may.
"""

import errno
import json
import os
import stat
import sys
import threading
import time

from fusepy import FUSE, FuseOSError, Operations

ROOT = 1


class Node:
    __slots__ = ("ino", "mode", "data", "children", "nlink", "mtime", "ctime", "dirty")

    def __init__(self, ino, mode):
        self.ino = ino
        self.mode = mode
        self.data = bytearray() if stat.S_ISREG(mode) else None
        self.children = {} if stat.S_ISDIR(mode) else None
        self.nlink = 2 if stat.S_ISDIR(mode) else 1
        now = time.time()
        self.mtime = now
        self.ctime = now
        # Byte ranges written since the last fsync, and whether the size changed.
        self.dirty = []


class LazyFS(Operations):
    def __init__(self, store):
        self.store = store
        self.mutex = threading.RLock()
        os.makedirs(os.path.join(store, "data"), exist_ok=True)
        self.nodes = {}
        self.durable = {"next": ROOT + 1, "nodes": {}}
        meta = os.path.join(store, "meta.json")
        if os.path.exists(meta):
            with open(meta) as f:
                self.durable = json.load(f)
        else:
            self.durable["nodes"][str(ROOT)] = {"mode": stat.S_IFDIR | 0o755, "children": {}}
            self.persist_meta()
        self.next = self.durable["next"]
        # The tree the programs see starts as the durable one.
        for ino_s, d in self.durable["nodes"].items():
            n = Node(int(ino_s), d["mode"])
            if n.children is not None:
                n.children = {k: int(v) for k, v in d.get("children", {}).items()}
            else:
                path = self.data_path(n.ino)
                if os.path.exists(path):
                    with open(path, "rb") as f:
                        n.data = bytearray(f.read())
            self.nodes[n.ino] = n
        for n in self.nodes.values():
            if n.children is not None:
                for c in n.children.values():
                    child = self.nodes.get(c)
                    if child is not None and child.children is None:
                        child.nlink = 0
        for n in self.nodes.values():
            if n.children is not None:
                for c in n.children.values():
                    child = self.nodes.get(c)
                    if child is not None and child.children is None:
                        child.nlink += 1

    # -- durable state ----------------------------------------------------------------

    def data_path(self, ino):
        return os.path.join(self.store, "data", str(ino))

    def persist_meta(self):
        self.durable["next"] = max(self.durable.get("next", 0), getattr(self, "next", 0))
        tmp = os.path.join(self.store, "meta.json.tmp")
        with open(tmp, "w") as f:
            json.dump(self.durable, f)
        os.replace(tmp, os.path.join(self.store, "meta.json"))

    def persist_data(self, n):
        path = self.data_path(n.ino)
        flags = os.O_RDWR | os.O_CREAT
        fd = os.open(path, flags, 0o600)
        try:
            ranges = sorted(n.dirty)
            if not ranges or not os.path.getsize(path) and len(n.data):
                ranges = [(0, len(n.data))]
            for start, end in ranges:
                end = min(end, len(n.data))
                if start < end:
                    os.pwrite(fd, bytes(n.data[start:end]), start)
            os.ftruncate(fd, len(n.data))
        finally:
            os.close(fd)
        n.dirty = []

    # -- the tree -----------------------------------------------------------------------

    def lookup(self, path):
        n = self.nodes[ROOT]
        for part in [p for p in path.split("/") if p]:
            if n.children is None or part not in n.children:
                raise FuseOSError(errno.ENOENT)
            n = self.nodes[n.children[part]]
        return n

    def parent(self, path):
        head, name = os.path.split(path.rstrip("/"))
        p = self.lookup(head or "/")
        if p.children is None:
            raise FuseOSError(errno.ENOTDIR)
        return p, name

    def new_node(self, mode):
        ino = self.next
        self.next += 1
        n = Node(ino, mode)
        self.nodes[ino] = n
        return n

    def drop_if_unused(self, n):
        if n.nlink <= 0 and n.children is None:
            n.data = bytearray()

    # -- operations ---------------------------------------------------------------------

    def getattr(self, path, fh=None):
        with self.mutex:
            n = self.lookup(path)
            size = len(n.data) if n.data is not None else 4096
            return {
                "st_mode": n.mode,
                "st_nlink": n.nlink,
                "st_size": size,
                "st_uid": os.getuid(),
                "st_gid": os.getgid(),
                "st_mtime": n.mtime,
                "st_ctime": n.ctime,
                "st_atime": n.mtime,
                "st_ino": n.ino,
                "st_blocks": (size + 511) // 512,
            }

    def readdir(self, path, fh):
        with self.mutex:
            n = self.lookup(path)
            return [".", ".."] + list(n.children)

    def access(self, path, amode):
        with self.mutex:
            self.lookup(path)
            return 0

    def statfs(self, path):
        return {
            "f_bsize": 4096,
            "f_frsize": 4096,
            "f_blocks": 1 << 20,
            "f_bfree": 1 << 19,
            "f_bavail": 1 << 19,
            "f_files": 1 << 16,
            "f_ffree": 1 << 15,
            "f_favail": 1 << 15,
            "f_namemax": 255,
        }

    def mkdir(self, path, mode):
        with self.mutex:
            p, name = self.parent(path)
            if name in p.children:
                raise FuseOSError(errno.EEXIST)
            n = self.new_node(stat.S_IFDIR | (mode & 0o7777))
            p.children[name] = n.ino
            p.nlink += 1
            return 0

    def rmdir(self, path):
        with self.mutex:
            p, name = self.parent(path)
            n = self.lookup(path)
            if n.children is None:
                raise FuseOSError(errno.ENOTDIR)
            if n.children:
                raise FuseOSError(errno.ENOTEMPTY)
            del p.children[name]
            p.nlink -= 1
            return 0

    def create(self, path, mode, fi=None):
        with self.mutex:
            p, name = self.parent(path)
            if name in p.children:
                n = self.nodes[p.children[name]]
            else:
                n = self.new_node(stat.S_IFREG | (mode & 0o7777))
                p.children[name] = n.ino
            return n.ino

    def open(self, path, flags):
        with self.mutex:
            return self.lookup(path).ino

    def read(self, path, size, offset, fh):
        with self.mutex:
            n = self.nodes[fh] if fh in self.nodes else self.lookup(path)
            return bytes(n.data[offset:offset + size])

    def write(self, path, data, offset, fh):
        with self.mutex:
            n = self.nodes[fh] if fh in self.nodes else self.lookup(path)
            end = offset + len(data)
            if end > len(n.data):
                n.data.extend(b"\0" * (end - len(n.data)))
            n.data[offset:end] = data
            n.dirty.append((offset, end))
            n.mtime = time.time()
            return len(data)

    def truncate(self, path, length, fh=None):
        with self.mutex:
            n = self.nodes[fh] if fh is not None and fh in self.nodes else self.lookup(path)
            if length < len(n.data):
                del n.data[length:]
            else:
                n.data.extend(b"\0" * (length - len(n.data)))
            n.dirty.append((0, 0))
            n.mtime = time.time()
            return 0

    def fsync(self, path, datasync, fh):
        with self.mutex:
            n = self.nodes[fh] if fh in self.nodes else self.lookup(path)
            if n.data is not None:
                self.persist_data(n)
            return 0

    def fsyncdir(self, path, datasync, fh):
        with self.mutex:
            n = self.lookup(path)
            d = self.durable["nodes"].setdefault(str(n.ino), {"mode": n.mode})
            d["mode"] = n.mode
            d["children"] = {k: v for k, v in n.children.items()}
            for child in n.children.values():
                c = self.nodes[child]
                cd = self.durable["nodes"].setdefault(str(child), {"mode": c.mode})
                cd["mode"] = c.mode
                if c.children is not None:
                    cd.setdefault("children", {})
            self.persist_meta()
            return 0

    def flush(self, path, fh):
        return 0

    def release(self, path, fh):
        return 0

    def unlink(self, path):
        with self.mutex:
            p, name = self.parent(path)
            if name not in p.children:
                raise FuseOSError(errno.ENOENT)
            n = self.nodes[p.children.pop(name)]
            n.nlink -= 1
            return 0

    def rename(self, old, new):
        with self.mutex:
            op, oname = self.parent(old)
            np, nname = self.parent(new)
            if oname not in op.children:
                raise FuseOSError(errno.ENOENT)
            ino = op.children[oname]
            if nname in np.children:
                replaced = self.nodes[np.children[nname]]
                if replaced.children:
                    raise FuseOSError(errno.ENOTEMPTY)
                replaced.nlink -= 1
            del op.children[oname]
            np.children[nname] = ino
            return 0

    def link(self, target, source):
        with self.mutex:
            n = self.lookup(source)
            p, name = self.parent(target)
            if name in p.children:
                raise FuseOSError(errno.EEXIST)
            p.children[name] = n.ino
            n.nlink += 1
            return 0

    def chmod(self, path, mode):
        with self.mutex:
            n = self.lookup(path)
            n.mode = (n.mode & ~0o7777) | (mode & 0o7777)
            return 0

    def chown(self, path, uid, gid):
        return 0

    def utimens(self, path, times=None):
        with self.mutex:
            n = self.lookup(path)
            n.mtime = times[1] if times else time.time()
            return 0


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    store, mountpoint = sys.argv[1], sys.argv[2]
    FUSE(
        LazyFS(store),
        mountpoint,
        foreground=True,
        nothreads=False,
        attr_timeout=0,
        entry_timeout=0,
        negative_timeout=0,
    )


if __name__ == "__main__":
    main()
