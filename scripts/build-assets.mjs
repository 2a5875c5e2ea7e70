// Build the static assets the pages load, at install time, into var/build/static/ (never committed):
//
//   - Bootstrap's RTL and LTR stylesheets with only the selectors our templates, scripts and forms
//     use (PurgeCSS over the npm package's dist files, which keeps Bootstrap's own RTL build);
//   - our CSS minified (sass, compressed) and our JS minified (terser), under the same names as
//     their sources, so templates keep naming `css/site.css` and `js/filing.js`;
//   - Vazirmatn's Persian-only ("Non-Latin") variable font under a name without brackets.
//
// Django finds var/build/static/ before static/ (settings STATICFILES_DIRS), and collectstatic with
// WhiteNoise's compressed manifest storage adds the gzip and brotli files.
//
//   node scripts/build-assets.mjs [extra content globs…]
//
// Extra globs add templates the purge must read, e.g. the crispy-forms pack in the virtualenv
// (the Makefile passes it); without them a safelist of that pack's classes is used.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { PurgeCSS } from "purgecss";
import * as sass from "sass";
import { minify } from "terser";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const out = path.join(root, "var", "build", "static");
const modules = path.join(root, "node_modules");
const APPS = ["sajad", "complaints", "faq", "surveys", "catalogue", "notifications"];

// Classes that crispy-forms' bootstrap5 pack writes (used when its templates are not passed).
const CRISPY_CLASSES = [
  "form-control", "form-select", "form-check", "form-check-input", "form-check-label",
  "form-check-inline", "form-label", "form-text", "invalid-feedback", "is-invalid", "mb-3",
  "mb-2", "mb-0", "alert", "alert-block", "alert-danger", "btn", "input-group",
  "input-group-text", "text-danger", "visually-hidden", "col-form-label", "row", "d-flex",
  "gap-2", "form-switch", "form-floating", "text-break", "fs-6",
];
// Set by Bootstrap's JavaScript or by states no template names literally.
const STATE_CLASSES = ["show", "fade", "collapsing", "was-validated", "is-valid", "active",
  "disabled", "focus-ring"];

function write(relative, text) {
  const file = path.join(out, relative);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
  return file;
}

async function bootstrap(extraContent) {
  const content = [
    path.join(root, "templates", "**", "*.html"),
    path.join(root, "static", "js", "**", "*.js"),
    ...APPS.map((app) => path.join(root, app, "**", "*.py")),
    ...APPS.map((app) => path.join(root, app, "templates", "**", "*.html")),
    ...extraContent,
  ];
  const safelist = {
    standard: [...STATE_CLASSES, ...(extraContent.length ? [] : CRISPY_CLASSES)],
    // Bootstrap's custom properties are kept whole: rules we keep refer to them.
    variables: [/^--bs-/],
  };
  for (const name of ["bootstrap.rtl.min.css", "bootstrap.min.css"]) {
    const css = path.join(modules, "bootstrap", "dist", "css", name);
    const [result] = await new PurgeCSS().purge({
      content, css: [css], safelist, variables: false, keyframes: true, fontFace: true,
    });
    // PurgeCSS keeps the input's formatting; a compressed pass through sass strips what is left.
    const compressed = sass.compileString(result.css, { style: "compressed" }).css;
    write(path.join("vendor", "bootstrap", "css", name), compressed);
  }
}

async function ours() {
  const sources = path.join(root, "static");
  for (const folder of ["css", "js"]) {
    for (const entry of fs.readdirSync(path.join(sources, folder), { recursive: true })) {
      const file = path.join(sources, folder, entry);
      if (!fs.statSync(file).isFile()) continue;
      const text = fs.readFileSync(file, "utf8");
      const relative = path.join(folder, entry);
      if (entry.endsWith(".css")) {
        write(relative, sass.compileString(text, { style: "compressed" }).css);
      } else if (entry.endsWith(".js")) {
        const result = await minify(text, { compress: true, mangle: true, format: { comments: false } });
        write(relative, result.code);
      }
    }
  }
}

function font() {
  const source = path.join(modules, "vazirmatn", "misc", "Non-Latin", "fonts", "webfonts",
    "Vazirmatn-NL[wght].woff2");
  const target = path.join(out, "vendor", "vazirmatn", "Vazirmatn-NL-wght.woff2");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.copyFileSync(source, target);
}

fs.rmSync(out, { recursive: true, force: true });
await bootstrap(process.argv.slice(2));
await ours();
font();
console.log(`assets built in ${path.relative(root, out)}`);
