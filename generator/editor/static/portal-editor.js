/* The portal's record formats for Decap CMS (see generator/editor/cms.py).
 *
 * Decap edits translatable text as an object by language ({fr, en, ...}); a record may
 * hold it as a plain French string. Reading, a string becomes {fr: string}; writing,
 * text with French only becomes a string again, fields left empty are dropped (the
 * models reject ""), and keys follow the models' order. Comments are not kept. */
(function () {
  "use strict";
  var SOURCE = "fr";
  // Where an object read from a file keeps its keys' order, so that saving it keeps that order.
  var ORDER = "__portal_order";

  function isObject(value) {
    return value !== null && typeof value === "object" && !Array.isArray(value);
  }

  function read(value, shape) {
    if (value === null || value === undefined) return value;
    if (shape.t === "text") return typeof value === "string" ? { fr: value } : value;
    if (shape.t === "list") return Array.isArray(value) ? value.map(function (item) { return read(item, shape.i); }) : value;
    if (shape.t === "area") return Array.isArray(value) ? value.join(", ") : value;
    if (shape.t === "obj") {
      if (shape.short && !isObject(value)) {
        var whole = {};
        whole[shape.short] = String(value);
        return whole;
      }
      if (!isObject(value)) return value;
      var out = {};
      Object.keys(value).forEach(function (key) {
        var field = shape.f.find(function (f) { return f[0] === key; });
        out[key] = field ? read(value[key], field[1]) : value[key];
      });
      out[ORDER] = Object.keys(value);
      return out;
    }
    return value;
  }

  // undefined: nothing to write
  function write(value, shape) {
    if (value === null || value === undefined) return undefined;
    if (typeof value === "string") {
      if (value.trim() === "") return undefined;
      if (shape.t === "area") {
        var text = value.trim();
        return text === "territory" ? text : text.split(/[\s,;]+/).filter(Boolean);
      }
      return value;
    }
    if (Array.isArray(value)) {
      var items = value
        .map(function (item) { return write(item, shape.t === "list" ? shape.i : { t: "v" }); })
        .filter(function (item) { return item !== undefined; });
      return items.length ? items : undefined;
    }
    if (isObject(value)) {
      var out = {};
      // the file's order first, then the models' order for keys added in the form
      var order = (Array.isArray(value[ORDER]) ? value[ORDER] : []).concat(
        shape.t === "obj" ? shape.f.map(function (f) { return f[0]; }) : []);
      var keys = order.filter(function (key, index) { return key in value && order.indexOf(key) === index; }).concat(
        Object.keys(value).filter(function (key) { return order.indexOf(key) < 0 && key !== ORDER; }));
      keys.forEach(function (key) {
        var field = shape.t === "obj" ? shape.f.find(function (f) { return f[0] === key; }) : null;
        var kept = write(value[key], field ? field[1] : { t: "v" });
        if (kept !== undefined) out[key] = kept;
      });
      var names = Object.keys(out);
      if (!names.length) return undefined;
      if (shape.t === "text" && names.length === 1 && names[0] === SOURCE) return out[SOURCE];
      return out;
    }
    return value;
  }

  function format(shape) {
    return {
      fromFile: function (content) {
        return read(jsyaml.load(content, { schema: jsyaml.CORE_SCHEMA }) || {}, shape);
      },
      toFile: function (data) {
        return jsyaml.dump(write(data, shape) || {}, {
          schema: jsyaml.CORE_SCHEMA, lineWidth: -1, noRefs: true, quotingType: '"',
        });
      },
    };
  }

  fetch("portal-editor.json")
    .then(function (response) { return response.json(); })
    .then(function (portal) {
      Object.keys(portal.formats).forEach(function (name) {
        CMS.registerCustomFormat(name, "yml", format(portal.formats[name]));
      });
      CMS.init();
    });
})();
