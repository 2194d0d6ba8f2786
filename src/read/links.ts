/** The one link policy of every reader: which addresses a book keeps as links. */

// Hosts only the machine that saved the page (or its local network) can reach.
const LOCAL_HOST = /^(?:localhost|.*\.localhost|.*\.local|.*\.internal|127(?:\.\d{1,3}){3}|0\.0\.0\.0|10(?:\.\d{1,3}){3}|192\.168(?:\.\d{1,3}){2}|172\.(?:1[6-9]|2\d|3[01])(?:\.\d{1,3}){2}|169\.254(?:\.\d{1,3}){2}|\[[0-9a-f:.]*\])$/i;

/** Whether `href` is an address a reader can follow outside the book: mail, or the web beyond
 * the saving machine and its local network. Anything else (a place in the saved page or site, a
 * local file) is kept as the link's text and counted as a loss (fid-004). */
export function followableHref(href: string): boolean {
  if (/^mailto:[^\s]/i.test(href)) return true;
  if (!/^https?:\/\//i.test(href)) return false;
  try {
    return !LOCAL_HOST.test(new URL(href).hostname);
  } catch {
    return false;
  }
}
