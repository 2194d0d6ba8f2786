// Ace by DAISY (a dev dependency) drives Debian's Chromium; never download a browser at install time.
module.exports = { skipDownload: true, executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium' };
