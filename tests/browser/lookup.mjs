// Opens the hub's citizen lookup page in Chromium (Debian's, driven by playwright-core)
// as a citizen would: at a phone's size and a desktop's, with JavaScript off, then types
// the code and the secret into the hand-entry form, and checks the page and the form
// page with axe-core. Prints one JSON object; the Rust test (tests/lookup_page.rs)
// asserts on it.
//
// usage: node lookup.mjs <page url> <form page url> <code> <secret> <screenshot dir>
import { chromium } from 'playwright-core';
import fs from 'node:fs';

const [url, formUrl, code, secret, out] = process.argv.slice(2);
const axeSource = fs.readFileSync(
  new URL('./node_modules/axe-core/axe.min.js', import.meta.url),
  'utf8',
);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
const result = { sizes: {} };
try {
  const sizes = [
    ['phone', { width: 390, height: 844 }, true],
    ['desktop', { width: 1280, height: 800 }, false],
  ];
  for (const [name, viewport, mobile] of sizes) {
    const ctx = await browser.newContext({
      viewport,
      isMobile: mobile,
      hasTouch: mobile,
      deviceScaleFactor: mobile ? 2 : 1,
      javaScriptEnabled: false,
      locale: 'vi-VN',
    });
    const page = await ctx.newPage();
    const requests = [];
    page.on('request', (r) => requests.push(r.url()));
    const resp = await page.goto(url);
    await page.screenshot({ path: `${out}/${name}.png`, fullPage: true });
    const size = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      bodyFontPx: parseFloat(getComputedStyle(document.body).fontSize),
      fontFamily: getComputedStyle(document.body).fontFamily,
    }));
    result.sizes[name] = {
      status: resp.status(),
      text: await page.innerText('body'),
      requests,
      ...size,
    };
    if (mobile) {
      // The hand-entry form, as typed on a phone: the secret in lower case.
      await page.goto(formUrl);
      await page.screenshot({ path: `${out}/${name}-form.png`, fullPage: true });
      await page.fill('#ma', code);
      await page.fill('#mk', secret.toLowerCase());
      await Promise.all([page.waitForURL(/ma=/), page.click('button[type=submit]')]);
      result.typed = { url: page.url(), text: await page.innerText('body') };
      await page.screenshot({ path: `${out}/${name}-typed.png`, fullPage: true });
    }
    await ctx.close();
  }
  // axe-core needs script: it runs in a context that may bypass the page's CSP.
  result.axe = {};
  for (const [name, target] of [['dossier', url], ['form', formUrl]]) {
    const ctx = await browser.newContext({ bypassCSP: true, viewport: { width: 390, height: 844 } });
    const page = await ctx.newPage();
    await page.goto(target);
    await page.addScriptTag({ content: axeSource });
    const r = await page.evaluate(async () => {
      const res = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      });
      return {
        passes: res.passes.length,
        violations: res.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })),
      };
    });
    result.axe[name] = r;
    await ctx.close();
  }
} finally {
  await browser.close();
}
console.log(JSON.stringify(result));
