/**
 * The file-system calls a build awaits, as promises over `node:fs`'s callback functions (same
 * calls, same errors). Why not `node:fs/promises`: loading it brings file handles, streams'
 * helpers, readline and watchers, about a millisecond of every run, for calls that need none.
 */
import { close as closeCb, link as linkCb, lstat as lstatCb, mkdir as mkdirCb, open as openCb, readdir as readdirCb, readFile as readFileCb, readlink as readlinkCb, realpath as realpathCb, rename as renameCb, stat as statCb, unlink as unlinkCb, writeFile as writeFileCb } from 'node:fs';
import { promisify } from 'node:util';

export const close = promisify(closeCb);
export const link = promisify(linkCb);
export const lstat = promisify(lstatCb);
export const mkdir = promisify(mkdirCb);
export const open = promisify(openCb);
export const readdir = promisify(readdirCb);
export const readFile = promisify(readFileCb);
export const readlink = promisify(readlinkCb);
// The operating system's realpath, as node:fs/promises uses (the callback `realpath` walks the path in JavaScript).
export const realpath = promisify(realpathCb.native);
export const rename = promisify(renameCb);
export const stat = promisify(statCb);
export const unlink = promisify(unlinkCb);
export const writeFile = promisify(writeFileCb);
