/* The column's search engine, published as pagefind/pagefind.js beside the index that
   brandcolumn/search/ writes (layout.py describes the files). An ES module with Pagefind's
   shape, so a page written for Pagefind's API can use it:

     const engine = await import("/pagefind/pagefind.js");
     const found = await engine.search("办理时限", {filters: {kind: "经验交流"}});
     found.results.length;               // exact: every document holding the words
     found.results[0].meta.title;        // title, url, kind, date: no further request
     await found.results[0].data();      // {url, meta, excerpt: [plain, marked, plain, ...]}

   A query is folded as the index was (fold.py): NFKC, lower case, no spaces, traditional
   characters as simplified. Words apart (星级 2009) must all be in a document; each word is
   looked up by its character pairs (办理时限: 办理 and 时限), and a document holds it only
   where the pairs stand at the right distances, which their positions tell. */

const FORMAT = 1;
const SIGNATURE = "pagefind_dcd";
const SPACES = /[\t\n\v\f\r \x85\xa0\u1680\u2000-\u200d\u2028\u2029\u202f\u205f\u2060\u3000\ufeff]+/g;  /* as fold.SPACES */
const MIX = [0x9e3779b1, 0x85ebca77, 0x2c1b3c6d];  /* as layout._MIX */
const EXCERPT_BEFORE = 30;  /* characters shown before the first match, twice as many after it */
const PARAGRAPH = 20;  /* characters from which a block reads as a paragraph, preferred for an excerpt */

const base = new URL(".", import.meta.url);
const fetched = new Map();  /* path -> Promise of its bytes, unpacked */
const shardKeys = new Map();  /* shard path -> Promise of Map(key -> [start, end]) */
let loading = null;  /* Promise of the meta file, prepared */
let loaded = null;  /* its name */

/* Pagefind's options(): nothing to set here (the index is always beside this file). */
export async function options() {}

export async function init() { await load(); }

/* What the filters can choose from: {kind: [...], unit: [...]} (years and stars are plain). */
export async function filters() {
  const meta = await load();
  return {kind: meta.kinds.slice(), unit: meta.units.slice()};
}

export async function search(query, settings) {
  try {
    return await searchOnce(query, settings);
  } catch (error) {
    if (!error.gone) throw error;
    forget();  /* the index was made again since it was loaded: its old files are gone */
    return searchOnce(query, settings);
  }
}

function forget() {
  loading = loaded = null;
  fetched.clear();
  shardKeys.clear();
}

async function searchOnce(query, settings) {
  const meta = await load();
  const words = String(query || "").split(SPACES).map(function (word) { return fold(word, meta); })
    .filter(Boolean);
  if (!words.length) return {results: [], unfilteredResultCount: 0, suggestions: []};
  const found = await Promise.all(words.map(function (word) { return lookUp(word, meta); }));
  const wanted = (settings && settings.filters) || {};
  const matches = combine(found);
  const results = [];
  matches.forEach(function (hit, doc) {
    if (fits(meta, doc, wanted)) results.push(result(meta, doc, hit, words));
  });
  results.sort(byRank);
  return {results: results, unfilteredResultCount: matches.size, suggestions: suggestions(words.join(""), meta)};
}

/* Brand names a query in pinyin may mean (xinqiao, xinq or xq: 心桥), as {title, url}: the results
   stay those holding what was typed. */
function suggestions(typed, meta) {
  if (!/^[a-z]{2,}$/.test(typed)) return [];
  return meta.pinyin.filter(function (name) { return name[1].startsWith(typed) || name[2] === typed; })
    .slice(0, 5).map(function (name) { return {title: meta.title[name[0]], url: meta.url[name[0]]}; });
}

/* ---- the index files ------------------------------------------------------------------ */

/* The index as the entry names it now: the entry (a few bytes, asked again at every search) names
   the meta file, and every file of an index made since is another file (named by its content). */
async function load() {
  /* no-store, not no-cache: a server may answer "not modified" to an entry rewritten within the
     same second (Last-Modified counts whole seconds), and it is only a few bytes. */
  const response = await fetch(new URL("pagefind-entry.json", base), {cache: "no-store"});
  if (!response.ok) throw new Error("search index: " + response.status);
  const entry = await response.json();
  if (entry.format !== FORMAT) throw new Error("search index of another format: " + entry.format);
  if (entry.meta !== loaded) forget();  /* made again since: nothing of the old one is used */
  if (!loading) {
    loaded = entry.meta;
    loading = bytes(entry.meta).then(function (data) {
      return prepare(JSON.parse(new TextDecoder().decode(data)));
    });
    loading.catch(function () { loading = null; });  /* tried again on the next search */
  }
  return loading;
}

function prepare(meta) {
  meta.folding = new Map();
  const pairs = Array.from(meta.fold);
  for (let i = 0; i + 1 < pairs.length; i += 2) meta.folding.set(pairs[i], pairs[i + 1]);
  meta.unitSets = meta.unit.map(function (numbers) { return new Set(numbers); });
  return meta;
}

function bytes(path) {
  if (!fetched.has(path)) {
    const loaded = fetch(new URL(path, base))
      .then(function (response) {
        if (!response.ok) {
          const error = new Error(path + ": " + response.status);
          error.gone = response.status === 404;
          throw error;
        }
        return response.arrayBuffer();
      })
      .then(function (buffer) { return unpack(new Uint8Array(buffer)); });
    loaded.catch(function () { fetched.delete(path); });
    fetched.set(path, loaded);
  }
  return fetched.get(path);
}

/* A file is gzipped with Pagefind's signature first inside; a server that sent it with
   Content-Encoding gzip has had the browser unpack it already, and the signature comes first. */
async function unpack(data) {
  if (!signed(data)) {
    if (data[0] !== 0x1f || data[1] !== 0x8b) throw new Error("not a search index file");
    if (typeof DecompressionStream === "undefined") {
      data = gunzip(data);  /* Safari before 16.4 */
    } else {
      const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("gzip"));
      data = new Uint8Array(await new Response(stream).arrayBuffer());
    }
  }
  if (!signed(data)) throw new Error("not a search index file");
  return data.subarray(SIGNATURE.length);
}

function signed(data) {
  return data.length >= SIGNATURE.length &&
    String.fromCharCode.apply(null, data.subarray(0, SIGNATURE.length)) === SIGNATURE;
}

/* gzip undone in JavaScript, for browsers without DecompressionStream: the header skipped, then
   RFC 1951's inflate, decoding Huffman codes as zlib's puff.c does (short, and fast enough for
   files of a few hundred KB). */
function gunzip(data) {
  const flags = data[3];
  let at = 10;
  if (flags & 4) at += 2 + (data[at] | (data[at + 1] << 8));  /* extra field */
  if (flags & 8) while (data[at++]);  /* file name */
  if (flags & 16) while (data[at++]);  /* comment */
  if (flags & 2) at += 2;  /* header checksum */
  return inflate(data, at);
}

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
  131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
  2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12,
  13, 13];
const CODE_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

function inflate(data, at) {
  let out = new Uint8Array(data.length * 4 + 1024), size = 0, held = 0, count = 0;
  function bits(n) {
    while (count < n) { held |= data[at++] << count; count += 8; }
    const value = held & ((1 << n) - 1);
    held >>>= n;
    count -= n;
    return value;
  }
  function put(byte) {
    if (size === out.length) { const larger = new Uint8Array(out.length * 2); larger.set(out); out = larger; }
    out[size++] = byte;
  }
  function huffman(lengths) {
    const counts = new Uint16Array(16), offsets = new Uint16Array(16), symbols = new Uint16Array(lengths.length);
    lengths.forEach(function (length) { counts[length]++; });
    counts[0] = 0;
    for (let length = 1; length < 16; length++) offsets[length] = offsets[length - 1] + counts[length - 1];
    lengths.forEach(function (length, symbol) { if (length) symbols[offsets[length]++] = symbol; });
    return {counts: counts, symbols: symbols};
  }
  function decode(table) {
    let code = 0, first = 0, index = 0;
    for (let length = 1; length < 16; length++) {
      code |= bits(1);
      const many = table.counts[length];
      if (code - many < first) return table.symbols[index + (code - first)];
      index += many;
      first = (first + many) << 1;
      code <<= 1;
    }
    throw new Error("damaged gzip data");
  }
  let last;
  do {
    last = bits(1);
    const type = bits(2);
    if (type === 0) {  /* stored: the rest of this byte skipped, then a length */
      held = count = 0;
      const length = data[at] | (data[at + 1] << 8);
      at += 4;
      for (let i = 0; i < length; i++) put(data[at++]);
      continue;
    }
    let literals, distances;
    if (type === 1) {
      const lengths = new Array(288).fill(8, 0, 144).fill(9, 144, 256).fill(7, 256, 280).fill(8, 280, 288);
      literals = huffman(lengths);
      distances = huffman(new Array(30).fill(5));
    } else if (type === 2) {
      const literalCount = bits(5) + 257, distanceCount = bits(5) + 1, codeCount = bits(4) + 4;
      const codeLengths = new Array(19).fill(0);
      for (let i = 0; i < codeCount; i++) codeLengths[CODE_ORDER[i]] = bits(3);
      const codes = huffman(codeLengths);
      const lengths = [];
      while (lengths.length < literalCount + distanceCount) {
        const symbol = decode(codes);
        if (symbol < 16) { lengths.push(symbol); continue; }
        const value = symbol === 16 ? lengths[lengths.length - 1] : 0;
        let repeat = symbol === 16 ? 3 + bits(2) : symbol === 17 ? 3 + bits(3) : 11 + bits(7);
        while (repeat--) lengths.push(value);
      }
      literals = huffman(lengths.slice(0, literalCount));
      distances = huffman(lengths.slice(literalCount));
    } else {
      throw new Error("damaged gzip data");
    }
    for (;;) {
      let symbol = decode(literals);
      if (symbol < 256) { put(symbol); continue; }
      if (symbol === 256) break;
      symbol -= 257;
      const length = LENGTH_BASE[symbol] + bits(LENGTH_EXTRA[symbol]);
      const code = decode(distances);
      const distance = DISTANCE_BASE[code] + bits(DISTANCE_EXTRA[code]);
      for (let i = 0; i < length; i++) put(out[size - distance]);
    }
  } while (!last);
  return out.subarray(0, size);
}

/* The postings of one key (a pair, or a single character), as bytes. */
async function postingsOf(gram, meta) {
  const path = pathOf(gram, meta);
  if (meta.own[gram]) return bytes(path);
  const [data, keys] = await Promise.all([bytes(path), headerOf(path)]);
  const span = keys.get(codes(gram).join(":"));
  return span ? data.subarray(span[0], span[1]) : new Uint8Array(0);
}

/* The file holding a key's postings: its own, or the shared one its hash picks. */
function pathOf(gram, meta) {
  const own = meta.own[gram];
  if (own) return "index/" + own[0] + ".pf_index";
  const [first, second] = codes(gram);
  return "index/" + meta.shards[shardOf(first, second, meta.shards.length)] + ".pf_index";
}

function codes(gram) {
  const points = Array.from(gram, function (ch) { return ch.codePointAt(0); });
  return [points[0], points.length > 1 ? points[1] : 0];
}

function shardOf(first, second, count) {
  let h = (Math.imul(first, MIX[0]) ^ Math.imul(second, MIX[1])) >>> 0;
  h = (h ^ (h >>> 15)) >>> 0;
  h = Math.imul(h, MIX[2]) >>> 0;
  h = (h ^ (h >>> 13)) >>> 0;
  return h % count;
}

/* A shared file's keys and where each one's postings lie in it. */
function headerOf(path) {
  if (!shardKeys.has(path)) {
    shardKeys.set(path, bytes(path).then(function (data) {
      const reader = new Varints(data, 0);
      const count = reader.next();
      const heads = [];
      for (let i = 0; i < count; i++) heads.push([reader.next(), reader.next(), reader.next()]);
      const keys = new Map();
      let at = reader.at;
      heads.forEach(function (head) {
        keys.set(head[0] + ":" + head[1], [at, at + head[2]]);
        at += head[2];
      });
      return keys;
    }));
  }
  return shardKeys.get(path);
}

function Varints(data, at) { this.data = data; this.at = at; }
Varints.prototype.next = function () {
  let value = 0, shift = 0, byte;
  do {
    byte = this.data[this.at++];
    value += (byte & 0x7f) * Math.pow(2, shift);
    shift += 7;
  } while (byte & 0x80);
  return value;
};
Varints.prototype.more = function () { return this.at < this.data.length; };

/* ---- matching --------------------------------------------------------------------------- */

export function fold(text, meta) {
  text = String(text).normalize("NFKC").toLowerCase().replace(SPACES, "");
  let out = "";
  for (const ch of text) out += (meta && meta.folding.get(ch)) || ch;
  return out;
}

/* The pairs a word is looked up by: together they cover every character, the first pair and the
   last always (办理时限: 办理 时限), the others chosen so that the fewest bytes are fetched (a
   frequent pair's postings weigh 100 KB on a large column): 深化群众意 is looked up by 深化, 化群
   and 众意 when 化群's postings are lighter than 群众's. */
function coveringPairs(points, meta) {
  const last = points.length - 2;
  const cost = [], best = [], from = [];
  for (let at = 0; at <= last; at++) {
    cost.push(pairCost(points[at] + points[at + 1], meta));
    const before = at === 0 ? -1 : at === 1 || best[at - 1] < best[at - 2] ? at - 1 : at - 2;
    best.push(cost[at] + (before < 0 ? 0 : best[before]));
    from.push(before);
  }
  const offsets = [];
  for (let at = last; at >= 0; at = from[at]) offsets.unshift(at);
  return offsets;
}

/* What looking a pair up would fetch: nothing if its file came already. */
function pairCost(gram, meta) {
  const own = meta.own[gram];
  return fetched.has(pathOf(gram, meta)) ? 0 : own ? own[1] : meta.shardBytes;
}

/* Every document holding the word: doc -> {count, first, positions} */
async function lookUp(word, meta) {
  const points = Array.from(word);
  if (points.length === 1) return singles(await postingsOf(word, meta));
  const offsets = coveringPairs(points, meta);
  const lists = await Promise.all(offsets.map(function (at) {
    return postingsOf(points[at] + points[at + 1], meta).then(pairs);
  }));
  const found = new Map();
  const [firstList, ...others] = lists;
  firstList.forEach(function (starts, doc) {
    const rest = others.map(function (list) { return list.get(doc); });
    if (rest.some(function (positions) { return !positions; })) return;
    const sets = rest.map(function (positions) { return new Set(positions); });
    const held = starts.filter(function (start) {
      return sets.every(function (set, i) { return set.has(start + offsets[i + 1]); });
    });
    if (held.length) found.set(doc, {count: held.length, first: held[0], positions: held});
  });
  return found;
}

function pairs(data) {
  const reader = new Varints(data, 0);
  const found = new Map();
  while (reader.more()) {
    const doc = reader.next(), count = reader.next();
    const positions = new Array(count);
    let at = 0;
    for (let i = 0; i < count; i++) { at += reader.next(); positions[i] = at; }
    found.set(doc, positions);
  }
  return found;
}

function singles(data) {
  const reader = new Varints(data, 0);
  const found = new Map();
  while (reader.more()) {
    const doc = reader.next(), count = reader.next(), first = reader.next();
    found.set(doc, {count: count, first: first, positions: [first]});
  }
  return found;
}

/* The documents holding every word, with what each word's matches there tell. */
function combine(found) {
  const [first, ...others] = found.slice().sort(function (a, b) { return a.size - b.size; });
  const matches = new Map();
  first.forEach(function (hit, doc) {
    if (others.every(function (map) { return map.has(doc); })) {
      matches.set(doc, found.map(function (map) { return map.get(doc); }));
    }
  });
  return matches;
}

function fits(meta, doc, wanted) {
  return (!wanted.kind || meta.kinds[meta.kind[doc]] === wanted.kind) &&
    (!wanted.year || meta.years[doc].split(" ").indexOf(String(wanted.year)) >= 0) &&
    (!wanted.unit || meta.unitSets[doc].has(meta.units.indexOf(wanted.unit))) &&
    (!wanted.stars || meta.stars[doc] === String(wanted.stars));
}

/* Ranking: the title holds the words (a title that is just the words first: a brand's own page
   for its name), then a heading, then how often, then how early; the newest first at a tie. */
function result(meta, doc, hits, words) {
  const titleEnd = meta.zones[2 * doc], headingEnd = meta.zones[2 * doc + 1];
  const title = meta.title[doc];
  const inTitle = hits.every(function (hit) { return hit.positions.some(function (p) { return p < titleEnd; }); });
  const inHeading = hits.some(function (hit) {
    return hit.positions.some(function (p) { return p >= titleEnd && p < headingEnd; });
  });
  const tier = (fold(title, meta) === words.join("") ? 4 : 0) + (inTitle ? 2 : 0) + (inHeading ? 1 : 0);
  const count = hits.reduce(function (sum, hit) { return sum + hit.count; }, 0);
  const first = Math.min.apply(null, hits.map(function (hit) { return hit.first; }));
  const found = {
    id: doc, tier: tier, count: count, first: first,  /* what the results are ordered by (byRank) */
    meta: {
      url: meta.url[doc], title: title, kind: meta.kinds[meta.kind[doc]], date: meta.date[doc],
      years: meta.years[doc], units: meta.unit[doc].map(function (n) { return meta.units[n]; }),
      stars: meta.stars[doc]
    }
  };
  found.data = function () { return details(meta, doc, found.meta, words); };
  return found;
}

function byRank(a, b) {
  return b.tier - a.tier || b.count - a.count || a.first - b.first ||
    (b.meta.date > a.meta.date) - (b.meta.date < a.meta.date) || a.id - b.id;
}

/* ---- excerpts --------------------------------------------------------------------------- */

async function details(meta, doc, shown, words) {
  const data = await bytes("fragment/" + meta.fragment[doc] + ".pf_fragment");
  const fragment = JSON.parse(new TextDecoder().decode(data));
  return {url: shown.url, meta: shown, blocks: fragment.b, excerpt: excerpt(fragment, words, meta)};
}

/* A stretch of the first paragraph holding a word (else of a shorter block of the body: a
   table cell, a date; else of a heading; else the start of the text), as [plain, marked, plain,
   marked, ..., plain], with "……" where it was cut. */
function excerpt(fragment, words, meta) {
  const blocks = fragment.b;
  const numbers = blocks.map(function (_, i) { return i; });
  const body = numbers.slice(1 + fragment.h);
  const order = body.filter(function (i) { return blocks[i].length >= PARAGRAPH; })
    .concat(body.filter(function (i) { return blocks[i].length < PARAGRAPH; }), numbers.slice(1, 1 + fragment.h));
  for (const i of order) {
    const spans = spansOf(blocks[i], words, meta);
    if (spans.length) return cut(blocks[i], spans);
  }
  const text = blocks[1 + fragment.h] || blocks[1] || "";
  return cut(text, []);
}

/* Where the words stand in a block, in the block's own characters (folding may change lengths). */
function spansOf(text, words, meta) {
  let folded = "";
  const from = [], to = [];
  let at = 0;
  for (const ch of text) {
    const one = fold(ch, meta);
    for (let i = 0; i < one.length; i++) { from.push(at); to.push(at + ch.length); }
    folded += one;
    at += ch.length;
  }
  const spans = [];
  words.forEach(function (word) {
    for (let found = folded.indexOf(word); found >= 0; found = folded.indexOf(word, found + word.length)) {
      spans.push([from[found], to[found + word.length - 1]]);
    }
  });
  return spans.sort(function (a, b) { return a[0] - b[0]; });
}

function cut(text, spans) {
  const first = spans.length ? spans[0][0] : 0;
  const start = Math.max(0, first - EXCERPT_BEFORE);
  const end = Math.min(text.length, first + EXCERPT_BEFORE * 2 + (spans.length ? spans[0][1] - spans[0][0] : 0));
  const parts = [start > 0 ? "……" : ""];
  let at = start;
  spans.forEach(function (span) {
    if (span[0] < at || span[1] > end) return;
    parts[parts.length - 1] += text.slice(at, span[0]);
    parts.push(text.slice(span[0], span[1]), "");
    at = span[1];
  });
  parts[parts.length - 1] += text.slice(at, end) + (end < text.length ? "……" : "");
  return parts;
}
