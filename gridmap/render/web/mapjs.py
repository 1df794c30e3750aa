"""The small JavaScript runtime and CSS every GridMap web map carries inline.

`RUNTIME_JS` defines ``window.GM``: it decodes the compact layers that
`gridmap.render.web.data` prepares (encoded polylines, column arrays) into
Leaflet layers, shows grid names by zoom, hatches findings with an SVG pattern
and draws the legend. ``GM.esc`` is the browser side's one escape of text from
data (see `gridmap.render.web.escape`). It needs Leaflet, and leaflet.markercluster and
leaflet.heat for clustered and density layers (served offline, see
`gridmap.render.web.assets`).
"""

from __future__ import annotations

CSS = """
.leaflet-container { background: #eef0f3;
  font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei",
               "PingFang SC", "WenQuanYi Micro Hei", sans-serif; }
.gm-lbl { background: none; border: none; }
.gm-lbl span { position: absolute; transform: translate(-50%, -50%); white-space: nowrap;
  text-shadow: 0 0 3px #fff, 0 0 3px #fff, 0 0 2px #fff; pointer-events: none; }
.gm-lbl-large span { transform: translate(-50%, -135%); font-size: 16px; font-weight: 700;
  color: #17224d; }
.gm-lbl-medium span { font-size: 13px; font-weight: 600; color: #2c3e50; }
.gm-lbl-small span { font-size: 11px; color: #4d5656; }
path.gm-hatch { fill: url(#gm-hatch); fill-opacity: 1; }
path.gm-hatch-warn { fill: url(#gm-hatch-warn); fill-opacity: 1; }
.gm-missing { color: #c0392b; }
.gm-legend { background: rgba(255, 255, 255, 0.93); padding: 6px 9px; border-radius: 4px;
  box-shadow: 0 1px 4px rgba(0, 0, 0, 0.3); font-size: 12px; line-height: 19px; }
.gm-legend b { display: block; margin-bottom: 2px; cursor: pointer; }
.gm-legend b::after { content: " \\25BE"; color: #888; }
.gm-legend.gm-folded b::after { content: " \\25B8"; }
.gm-legend.gm-folded .gm-rows { display: none; }
.gm-sw { display: inline-block; width: 16px; height: 11px; margin-right: 5px;
  vertical-align: middle; border: 1px solid rgba(0, 0, 0, 0.45); box-sizing: border-box; }
.gm-dot { border-radius: 50%; width: 11px; }
.gm-sw-hatch { background: repeating-linear-gradient(45deg, #d62728 0 2px, transparent 2px 5px);
  border-color: #d62728; }
.gm-cluster div { color: #fff; font-weight: 600; }
.gm-popup table { border-collapse: collapse; font-size: 12px; }
.gm-popup td { padding: 1px 6px 1px 0; }
.gm-popup td.n { text-align: right; }
.leaflet-control-layers-expanded { max-height: 60vh; overflow-y: auto; font-size: 12px; }
"""

#: leaflet.heat draws with ``getImageData`` on a canvas sized like the map, which
#: throws when the map has no size (its Streamlit tab is hidden): a heat layer then
#: skips drawing until it has a size again. Every page with a heat layer carries it
#: (the GM runtime below and `gridmap.render.web.inspections.heat_map`).
HEAT_GUARD_JS = r"""
(function () {
  if (!window.L || !L.HeatLayer || L.HeatLayer.prototype._gmSized) { return; }
  var redraw = L.HeatLayer.prototype._redraw;
  L.HeatLayer.prototype._redraw = function () {
    if (!this._canvas || !this._canvas.width || !this._canvas.height) {
      this._frame = null;
      return;
    }
    return redraw.apply(this, arguments);
  };
  L.HeatLayer.prototype._gmSized = true;
})();
"""

RUNTIME_JS = r"""
(function () {
  if (window.GM) { return; }
  var GM = window.GM = {};
  GM.decode = function (s, f) {
    var i = 0, lat = 0, lng = 0, out = [];
    while (i < s.length) {
      var b, shift = 0, r = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
      lat += (r & 1) ? ~(r >> 1) : (r >> 1);
      shift = 0; r = 0;
      do { b = s.charCodeAt(i++) - 63; r |= (b & 31) << shift; shift += 5; } while (b >= 32);
      lng += (r & 1) ? ~(r >> 1) : (r >> 1);
      out.push([lat / f, lng / f]);
    }
    return out;
  };
  GM.latlngs = function (geom, f) {
    return geom.map(function (poly) { return poly.map(function (r) { return GM.decode(r, f); }); });
  };
  // the one escape of the text the runtime draws (the Python side's is
  // gridmap.render.web.escape.html_text): every value from a spec goes through it
  GM.esc = function (v) {
    return String(v).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;'}[c];
    });
  };
  GM.blank = function (v) { return v === null || v === undefined || v === ''; };
  GM.tip = function (spec, i) {
    var p = spec.p, html = '';
    if (spec.title) {
      html += '<b>' + GM.esc(p[spec.title][i]) + '</b>';
      if (spec.sub && !GM.blank(p[spec.sub][i])) { html += ' (' + GM.esc(p[spec.sub][i]) + ')'; }
    }
    (spec.fields || []).forEach(function (f, k) {
      var v = p[f][i];
      var names = spec.lookup && spec.lookup[f];
      if (names && names[v] !== undefined) { v = names[v]; }
      html += (html ? '<br>' : '') + GM.esc(spec.labels[k]) + ': ' + (GM.blank(v) ?
        '<span class="gm-missing">' + GM.esc(spec.missing || '-') + '</span>' : GM.esc(v));
    });
    return html;
  };
  GM.popup = function (spec, i) {
    var p = spec.p, rows = '';
    (spec.table || []).forEach(function (f, k) {
      var v = p[f][i];
      rows += '<tr><td>' + GM.esc(spec.tableLabels[k]) + '</td><td class="n">' +
        (GM.blank(v) ? '-' : GM.esc(v)) + '</td></tr>';
    });
    return '<div class="gm-popup">' + GM.tip(spec, i) + '<table>' + rows + '</table></div>';
  };
  GM._renderers = {};
  GM.renderer = function (kind) {
    if (!GM._renderers[kind]) {
      GM._renderers[kind] = kind === 'canvas' ? L.canvas({padding: 0.3}) : L.svg({padding: 0.3});
    }
    return GM._renderers[kind];
  };
  GM.defs = function () {
    if (document.getElementById('gm-defs')) { return; }
    var hatch = function (id, color) {
      return '<pattern id="' + id + '" patternUnits="userSpaceOnUse" width="7" height="7" ' +
        'patternTransform="rotate(45)"><rect x="0" y="0" width="2.5" height="7" fill="' + color +
        '" fill-opacity="0.85"/></pattern>';
    };
    var holder = document.createElement('div');
    holder.innerHTML = '<svg id="gm-defs" width="0" height="0" style="position:absolute">' +
      '<defs>' + hatch('gm-hatch', '#d62728') + hatch('gm-hatch-warn', '#e67e22') +
      '</defs></svg>';
    document.body.appendChild(holder.firstChild);
  };
  GM.bind = function (layer, spec, i) {
    if (spec.aggLabel && spec.p && spec.p.n) {
      layer.bindTooltip(GM.esc(spec.aggLabel.replace('{n}', spec.p.n[i])));
    } else if (spec.popup) {
      layer.bindPopup(function () { return GM.popup(spec, i); }, {maxWidth: 320});
    } else if (spec.title || spec.fields) {
      layer.bindTooltip(function () { return GM.tip(spec, i); }, {sticky: true});
    }
  };
  GM.polygons = function (spec) {
    var group = L.featureGroup(), by = spec.styleBy ? spec.p[spec.styleBy] : null;
    var renderer = GM.renderer(spec.renderer || 'svg');
    for (var i = 0; i < spec.g.length; i++) {
      if (!spec.g[i].length) { continue; }
      var style = L.extend({}, spec.style, {renderer: renderer});
      if (by) { style.fillColor = spec.palette[by[i]]; }
      var poly = L.polygon(GM.latlngs(spec.g[i], spec.f), style);
      GM.bind(poly, spec, i);
      group.addLayer(poly);
    }
    return group;
  };
  GM.points = function (spec) {
    var group;
    if (spec.cluster) {
      group = L.markerClusterGroup({
        showCoverageOnHover: false, maxClusterRadius: 45, chunkedLoading: true,
        iconCreateFunction: function (c) {
          var n = c.getChildCount(), size = n < 10 ? 28 : n < 100 ? 34 : 40;
          return L.divIcon({
            html: '<div style="background:' + spec.style.fillColor + '"><span>' + n +
              '</span></div>',
            className: 'marker-cluster gm-cluster', iconSize: L.point(size, size)});
        }});
    } else {
      group = L.featureGroup();
    }
    var weight = spec.p && spec.p.n ? spec.p.n : null;
    var maxN = weight ? Math.max.apply(null, weight.concat([1])) : 1;
    for (var i = 0; i < spec.xy.length; i++) {
      var style = L.extend({}, spec.style);
      if (weight) {
        var rMin = spec.style.rMin || 3, rMax = spec.style.rMax || 14;
        style.radius = rMin + (rMax - rMin) * Math.sqrt(weight[i] / maxN);
      }
      var m = L.circleMarker(spec.xy[i], style);
      GM.bind(m, spec, i);
      group.addLayer(m);
    }
    return group;
  };
  GM.heat = function (spec) { return L.heatLayer(spec.xy, spec.options); };
  GM.group = function (spec) {
    var group = L.featureGroup();
    spec.parts.forEach(function (part) { group.addLayer(GM.layer(part)); });
    return group;
  };
  GM.layer = function (spec) { return GM[spec.kind](spec); };
  GM.labels = function (spec, map) {
    var group = L.layerGroup(), levels = ['large', 'medium', 'small'];
    levels.forEach(function (lvl, k) {
      var pane = 'gm-lbl-' + lvl;
      if (!map.getPane(pane)) { map.createPane(pane).style.zIndex = 640 + k; }
    });
    spec.items.forEach(function (it) {
      var lvl = levels[it[3]];
      group.addLayer(L.marker([it[0], it[1]], {
        icon: L.divIcon({className: 'gm-lbl gm-lbl-' + lvl,
                         html: '<span>' + GM.esc(it[2]) + '</span>', iconSize: null}),
        interactive: false, keyboard: false, pane: 'gm-lbl-' + lvl}));
    });
    var update = function () {
      var z = map.getZoom();
      levels.forEach(function (lvl, k) {
        var from = spec.zooms[k], until = k < 2 ? spec.zooms[k + 1] + 2 : 99;
        map.getPane('gm-lbl-' + lvl).style.display = (z >= from && z < until) ? '' : 'none';
      });
    };
    map.on('zoomend', update);
    update();
    return group;
  };
  GM.legend = function (spec, map) {
    var control = L.control({position: 'bottomleft'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'gm-legend');
      var html = '<b class="gm-legend-title">' + GM.esc(spec.title) + '</b><div class="gm-rows">';
      spec.rows.forEach(function (r) {
        html += '<div><span class="gm-sw ' + (r.cls || '') + '" style="' + (r.css || '') +
          '"></span>' + GM.esc(r.label) + '</div>';
      });
      div.innerHTML = html + '</div>';
      div.firstChild.onclick = function () { L.DomUtil.hasClass(div, 'gm-folded') ?
        L.DomUtil.removeClass(div, 'gm-folded') : L.DomUtil.addClass(div, 'gm-folded'); };
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
    return control;
  };
  GM.fit = function (spec, map) {
    // The component sizes the map after its script has run, sometimes in steps:
    // fit the bounds again whenever the container changes size, until the user
    // touches the map.
    var touched = false, box = map.getContainer();
    var fit = function () {
      if (touched || !box.clientWidth || !box.clientHeight) { return; }
      map.invalidateSize(false);
      map.fitBounds(spec.bounds);
    };
    ['mousedown', 'touchstart', 'wheel', 'keydown'].forEach(function (name) {
      box.addEventListener(name, function () { touched = true; }, {passive: true});
    });
    if (window.ResizeObserver) { new ResizeObserver(fit).observe(box); }
    fit();
    setTimeout(fit, 300);
    setTimeout(fit, 1200);
    return null;
  };
  GM.defs();
})();
"""
