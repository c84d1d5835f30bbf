/**
 * @file The ES5 scripts the plugin sends to Photopea (run through transport.ts, which adds
 * `__out`, `__fail` and the end marker). Photopea's interpreter is limited (shared photopea.md §2.2):
 * no arrow functions, template strings, let/const, spread, `finally`; no functions passed to
 * built-ins; `try/catch` is unreliable; `a || b` / `a && b` may evaluate `b` regardless (dsh notes), so
 * no guard is written as `x && x.y`: nested ifs instead. Plain loops, `var`, one job per script.
 * Every value that goes into a script is JSON-encoded here; nothing from Photopea is evaluated.
 */

/** Which document a script works on: its index as a hint, checked by name and size (documents have no ids). */
export interface DocRef {
  readonly index: number;
  readonly name: string;
  readonly width: number;
  readonly height: number;
}

const j = JSON.stringify;

/** Helpers prepended to every script that touches a document. */
const HELPERS =
  'function __num(v){if(v==null)return 0;var n=parseFloat(""+v);if(!isNaN(n))return n;' +
  'if(typeof v=="object"){if(v.value!==undefined)return Number(v.value);}return 0;}\n' +
  'function __b(b){if(!b)return null;return [__num(b[0]),__num(b[1]),__num(b[2]),__num(b[3])];}\n' +
  'function __same(d,n,w,h){return String(d.name)==n&&__num(d.width)==w&&__num(d.height)==h;}\n' +
  'function __pick(i,n,w,h){var ds=app.documents;var d=null;' +
  'if(i<ds.length){if(__same(ds[i],n,w,h))d=ds[i];}' +
  'if(d==null){for(var k=0;k<ds.length;k++){if(__same(ds[k],n,w,h)){d=ds[k];break;}}}' +
  'if(d==null)return null;app.activeDocument=d;return app.activeDocument;}\n' +
  'function __walk(ls,out){for(var i=0;i<ls.length;i++){var x=ls[i];out.push(x);if(x.typename=="LayerSet")__walk(x.layers,out);}return out;}\n' +
  'function __byId(d,id){var a=__walk(d.layers,[]);for(var i=0;i<a.length;i++){if(a[i].id==id)return a[i];}return null;}\n' +
  'function __showPath(L){L.visible=true;var p=L.parent;while(p!=null){if(p.typename!="LayerSet")break;p.visible=true;p=p.parent;}}\n';

function pick(doc: DocRef): string {
  return (
    `var d=__pick(${j(doc.index)},${j(doc.name)},${j(doc.width)},${j(doc.height)});` +
    `if(d==null){__fail(${j(`The document "${doc.name}" was closed or resized while the plugin worked on it; nothing was changed.`)});return;}\n`
  );
}

/** Reports {docs: [[name, width, height], …], active: index or -1}. */
export function listDocumentsScript(): string {
  return (
    HELPERS +
    'var ds=app.documents;var r=[];var a=null;if(ds.length>0)a=app.activeDocument;var ai=-1;' +
    'for(var i=0;i<ds.length;i++){r.push([String(ds[i].name),__num(ds[i].width),__num(ds[i].height)]);if(a!=null&&ds[i]===a)ai=i;}' +
    'if(a!=null&&ai<0){for(var k=0;k<ds.length;k++){if(__same(ds[k],String(a.name),__num(a.width),__num(a.height))){ai=k;break;}}}' +
    '__out({docs:r,active:ai});'
  );
}

/**
 * Exports the active layer alone as a document-sized PNG (saveToOE), with every other layer hidden
 * for the export and restored after. Reports {id, name} of the layer.
 */
export function exportActiveLayerScript(doc: DocRef): string {
  return (
    HELPERS +
    pick(doc) +
    'var L=d.activeLayer;' +
    'if(!L){__fail("The document has no active layer: click a layer in the Layers panel.");return;}' +
    'if(L.typename=="LayerSet"){__fail("The active layer \\""+L.name+"\\" is a group: select a pixel layer inside it.");return;}' +
    'var all=__walk(d.layers,[]);var vis=[];var k;' +
    'for(k=0;k<all.length;k++)vis.push(all[k].visible);' +
    'for(k=0;k<all.length;k++)all[k].visible=false;' +
    '__showPath(L);' +
    'd.saveToOE("png");' +
    'for(k=0;k<all.length;k++)all[k].visible=vis[k];' +
    'd.activeLayer=L;' +
    '__out({id:L.id,name:String(L.name)});'
  );
}

/**
 * Exports the pixel layer named `name` alone as a document-sized PNG (hidden or not), every other
 * layer hidden for the export and restored after. Reports {id, name}, or null when there is none.
 */
export function exportNamedLayerScript(doc: DocRef, name: string): string {
  return (
    HELPERS +
    pick(doc) +
    `var want=${j(name)};var all=__walk(d.layers,[]);var L=null;var k;` +
    'for(k=0;k<all.length;k++){if(String(all[k].name)==want){if(all[k].typename!="LayerSet"){L=all[k];break;}}}' +
    'if(L==null){__out(null);return;}' +
    'var keep=d.activeLayer;var vis=[];' +
    'for(k=0;k<all.length;k++)vis.push(all[k].visible);' +
    'for(k=0;k<all.length;k++)all[k].visible=false;' +
    '__showPath(L);' +
    'd.saveToOE("png");' +
    'for(k=0;k<all.length;k++)all[k].visible=vis[k];' +
    'd.activeLayer=keep;' +
    '__out({id:L.id,name:String(L.name)});'
  );
}

/** Sets a layer's blend mode to Color (Photoshop DOM: BlendMode.COLOR); reports the mode read back. */
export function colorBlendScript(doc: DocRef, layerId: unknown): string {
  return (
    HELPERS +
    pick(doc) +
    `var L=__byId(d,${j(layerId)});if(L==null){__fail("The new layer disappeared before its blend mode could be set.");return;}` +
    'if(typeof BlendMode!="undefined"){L.blendMode=BlendMode.COLOR;}else{L.blendMode="color";}' +
    '__out(String(L.blendMode));'
  );
}

/**
 * Exports the selection as a document-sized PNG: a temporary layer is filled white inside the
 * selection (partly selected pixels get partial alpha) and exported alone, then removed.
 * The selection itself is never changed. Reports the selection bounds, or null without a selection.
 */
export function exportSelectionScript(doc: DocRef): string {
  return (
    HELPERS +
    pick(doc) +
    'var sb=null;try{sb=__b(d.selection.bounds);}catch(e){sb=null;}' +
    'if(sb==null){__out(null);return;}if(sb[2]<=sb[0]){__out(null);return;}if(sb[3]<=sb[1]){__out(null);return;}' +
    'var keep=d.activeLayer;var all=__walk(d.layers,[]);var vis=[];var k;' +
    'for(k=0;k<all.length;k++)vis.push(all[k].visible);' +
    'd.activeLayer=d.layers[0];' +
    'var t=d.artLayers.add();t.name="__inpaint_selection_tmp";' +
    'var c=new SolidColor();c.rgb.red=255;c.rgb.green=255;c.rgb.blue=255;' +
    'd.selection.fill(c);' +
    'for(k=0;k<all.length;k++)all[k].visible=false;' +
    '__showPath(t);' +
    'd.saveToOE("png");' +
    'for(k=0;k<all.length;k++)all[k].visible=vis[k];' +
    't.remove();d.activeLayer=keep;' +
    '__out(sb);'
  );
}

/**
 * Places a document-sized PNG (data URL) into the document as a smart object above the source
 * layer (app.open with asSmart=true). Reports the ids of all layers before the placement;
 * the placement finishes after the script, so placedLayerScript() looks for it next.
 */
export function placeScript(doc: DocRef, sourceLayerId: unknown, dataUrl: string): string {
  return (
    HELPERS +
    pick(doc) +
    `var L=__byId(d,${j(sourceLayerId)});if(L!=null)d.activeLayer=L;` +
    'var all=__walk(d.layers,[]);var ids=[];for(var k=0;k<all.length;k++)ids.push(all[k].id);' +
    '__out(ids);' +
    `app.open(${j(dataUrl)},null,true);`
  );
}

/** Finds the layer that is not in `before`, renames it; reports {id} or null while it is not there yet. */
export function placedLayerScript(doc: DocRef, before: readonly unknown[], name: string): string {
  return (
    HELPERS +
    pick(doc) +
    `var before=${j(before)};var all=__walk(d.layers,[]);var nl=null;` +
    'for(var k=0;k<all.length&&nl==null;k++){var known=false;for(var m=0;m<before.length;m++){if(all[k].id==before[m])known=true;}if(!known)nl=all[k];}' +
    'if(nl==null){__out(null);return;}' +
    `nl.name=${j(name)};` +
    '__out({id:nl.id});'
  );
}

/**
 * Rasterizes the placed smart object (in its own script, as Photopea needs), then makes the source
 * layer active again (a placed layer becomes active; the next run must read the source, not the result).
 */
export function rasterizeScript(doc: DocRef, layerId: unknown, sourceLayerId: unknown): string {
  return (
    HELPERS +
    pick(doc) +
    `var L=__byId(d,${j(layerId)});if(L==null){__fail("The new layer disappeared before it could be rasterized.");return;}` +
    'if(typeof RasterizeType!="undefined")L.rasterize(RasterizeType.ENTIRELAYER);else L.rasterize();' +
    `var S=__byId(d,${j(sourceLayerId)});if(S!=null)d.activeLayer=S;` +
    '__out(1);'
  );
}

/** Reports a layer's bounds [l,t,r,b]. */
export function layerBoundsScript(doc: DocRef, layerId: unknown): string {
  return HELPERS + pick(doc) + `var L=__byId(d,${j(layerId)});if(L==null){__out(null);return;}__out(__b(L.bounds));`;
}

/** Moves a layer by (dx, dy) pixels. */
export function translateScript(doc: DocRef, layerId: unknown, dx: number, dy: number): string {
  return HELPERS + pick(doc) + `var L=__byId(d,${j(layerId)});if(L==null){__out(0);return;}L.translate(${j(dx)},${j(dy)});__out(1);`;
}

/** Makes a document active again (after a batch switched documents); reports whether it still exists. */
export function activateScript(doc: DocRef): string {
  return HELPERS + `var d=__pick(${j(doc.index)},${j(doc.name)},${j(doc.width)},${j(doc.height)});__out(d!=null);`;
}

/**
 * Replaces the selection with the union of pixel rectangles [left, top, right, bottom) ("Select
 * mosaics"): the first selected with SelectionType.REPLACE, the others added with EXTEND, no
 * feather, no anti-aliasing (polygon corners on pixel corners cover whole pixels). Reports the
 * number of rectangles.
 */
export function selectRectsScript(doc: DocRef, rects: readonly (readonly [number, number, number, number])[]): string {
  return (
    HELPERS +
    pick(doc) +
    `var R=${j(rects)};` +
    'if(typeof SelectionType=="undefined"){__fail("This Photopea cannot set a selection from a script (no SelectionType).");return;}' +
    'for(var k=0;k<R.length;k++){var a=R[k];var t=SelectionType.EXTEND;if(k==0)t=SelectionType.REPLACE;' +
    'd.selection.select([[a[0],a[1]],[a[2],a[1]],[a[2],a[3]],[a[0],a[3]]],t,0,false);}' +
    '__out(R.length);'
  );
}
