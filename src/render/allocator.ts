/**
 * resvg-js links mimalloc, which by default gives every freed segment back to the operating
 * system at once: each 1200×1920 cover then faults in a fresh 9 MB pixmap, and on machines where
 * first touching memory is slow (measured ~3 ms per MB on this project's 2-core VMs) that cost
 * more than drawing the cover: 117 ms per cover in a loop of 20, against 32 ms with large OS
 * pages allowed and freed memory kept for the next cover. mimalloc reads these settings from
 * the environment once, when the native module loads, so they must be set before the first
 * `import('@resvg/resvg-js')` in the process, and on the main thread (a worker thread's
 * `process.env` is its own copy). A value the user has set is kept.
 */
export function tuneCoverAllocator(env: NodeJS.ProcessEnv = process.env): void {
  env.MIMALLOC_ALLOW_LARGE_OS_PAGES ??= '1';
  env.MIMALLOC_PURGE_DELAY ??= '-1';
}
