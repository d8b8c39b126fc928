/**
 * The AMP validator's attribute rules for the tags our AMP pages emit, written from its
 * published rules (ampproject/amphtml `validator/validator-main.protoascii`, spec revision
 * 1188, and the amp-form, amp-lightbox and amp-mustache extension files), and applied the
 * way its engine applies them (validator/js/engine/validator.js):
 * - an attribute not allowed on the tag (its own, the global ones, aria-*, data-*) fails;
 * - `values` must match whole and ignore case (value_casei; `exact` is case-sensitive);
 * - `disallowed` matches anywhere and ignores case (disallowed_value_regex);
 * - a URL must use a listed protocol; relative URLs pass unless a rule says otherwise.
 * The official validator cannot be downloaded here (`npm run validate:amp` runs it where
 * it can); tests/amp.test.ts runs these rules over every AMP page.
 */

/** One attribute's rule; an attribute with no rule takes any value. */
interface AttributeRule {
  /** value_casei / value: the allowed values. */
  values?: readonly string[];
  /** Compare `values` case-sensitively (value, not value_casei). */
  exact?: boolean;
  /** value_regex: must match the whole value. */
  pattern?: RegExp;
  /** disallowed_value_regex: must not match anywhere (case-insensitive). */
  disallowed?: RegExp;
  /** value_url: allowed protocols (relative URLs pass unless `absolute`). */
  protocols?: readonly string[];
  absolute?: boolean;
}

type Rules = Record<string, AttributeRule | true>;

// `$GLOBAL_ATTRS`: allowed on every tag; `id` and `rel` carry value rules.
const NAME_TOKENS =
  '__amp_\\S*|__count__|__defineGetter__|__defineSetter__|__lookupGetter__|__lookupSetter__|__noSuchMethod__|__parent__|__proto__|__AMP_\\S*|\\$p|\\$proxy|acceptCharset|addEventListener|appendChild|assignedSlot|attachShadow|baseURI|checkValidity|childElementCount|childNodes|classList|className|clientHeight|clientLeft|clientTop|clientWidth|compareDocumentPosition|computedName|computedRole|contentEditable|createShadowRoot|enqueAction|firstChild|firstElementChild|getAnimations|getAttribute|getAttributeNS|getAttributeNode|getAttributeNodeNS|getBoundingClientRect|getClientRects|getDestinationInsertionPoints|getElementsByClassName|getElementsByTagName|getElementsByTagNameNS|getRootNode|hasAttribute|hasAttributeNS|hasAttributes|hasChildNodes|hasPointerCapture|innerHTML|innerText|inputMode|insertAdjacentElement|insertAdjacentHTML|insertAdjacentText|isContentEditable|isDefaultNamespace|isEqualNode|isSameNode|lastChild|lastElementChild|lookupNamespaceURI|namespaceURI|nextElementSibling|nextSibling|nodeName|nodeType|nodeValue|offsetHeight|offsetLeft|offsetParent|offsetTop|offsetWidth|outerHTML|outerText|ownerDocument|parentElement|parentNode|previousElementSibling|previousSibling|querySelector|querySelectorAll|releasePointerCapture|removeAttribute|removeAttributeNS|removeAttributeNode|removeChild|removeEventListener|replaceChild|reportValidity|requestPointerLock|scrollHeight|scrollIntoView|scrollIntoViewIfNeeded|scrollLeft|scrollWidth|setAttribute|setAttributeNS|setAttributeNode|setAttributeNodeNS|setPointerCapture|shadowRoot|styleMap|tabIndex|tagName|textContent|toString|valueOf|(webkit|ms|moz|o)dropzone|(webkit|moz|ms|o)MatchesSelector|(webkit|moz|ms|o)RequestFullScreen|(webkit|moz|ms|o)RequestFullscreen';
const NAME_ATTR: AttributeRule = { disallowed: new RegExp(`(^|\\s)(${NAME_TOKENS})(\\s|$)`) };
const ID_ATTR: AttributeRule = {
  disallowed: new RegExp(`(^|\\s)(${NAME_TOKENS}|AMP|i-amphtml-\\S*)(\\s|$)`),
};

const GLOBAL: Rules = {
  ...Object.fromEntries(
    (
      'itemid itemprop itemref itemscope itemtype about content datatype inlist prefix property ' +
      'resource rev typeof vocab accesskey class dir draggable lang slot tabindex title ' +
      'translate role overflow on style'
    )
      .split(' ')
      .map((name) => [name, true]),
  ),
  id: ID_ATTR,
  hidden: { values: [''] },
  placeholder: { values: [''] },
  fallback: { values: [''] },
  rel: {
    disallowed:
      /(^|\s)(canonical|components|dns-prefetch|import|manifest|preconnect|preload|prerender|serviceworker|stylesheet|subresource)(\s|$)/,
  },
};

const A_PROTOCOLS =
  'ftp geo http https mailto maps bip bbmi chrome itms-services facetime fb-me fb-messenger feed intent line microsoft-edge skype sms snapchat tel tg threema twitter viber webcal web+mastodon wh whatsapp'.split(
    ' ',
  );
const SOURCE_ORIGIN = /__amp_source_origin/;
const LAYOUT: Rules = {
  'disable-inline-width': true,
  heights: true,
  sizes: true,
  width: { pattern: /(\d+(?:\.\d+)?)(px|em|rem|vh|vw|vmin|vmax)?|auto/ },
  height: { pattern: /(\d+(?:\.\d+)?)(px|em|rem|vh|vw|vmin|vmax)?|auto|fluid/ },
};
const FREE = (names: string): Rules =>
  Object.fromEntries(names.split(' ').map((name) => [name, true]));
const CELL = FREE('align bgcolor colspan headers height rowspan valign width');
const CITE: AttributeRule = { protocols: ['http', 'https'], disallowed: SOURCE_ORIGIN };

/** Each tag's own attributes (the tag spec's `attrs` and `attr_lists`). */
export const TAG_RULES: Record<string, Rules> = {
  a: {
    ...FREE('border download hreflang media referrerpolicy role tabindex'),
    href: { protocols: A_PROTOCOLS, disallowed: SOURCE_ORIGIN },
    rel: {
      disallowed:
        /(^|\s)(components|dns-prefetch|import|manifest|preconnect|prefetch|preload|prerender|serviceworker|stylesheet|subresource)(\s|$)/,
    },
    type: { values: ['text/html', 'application/rss+xml'] },
    target: { values: ['_blank', '_self', '_top'], exact: true },
    'show-tooltip': { values: ['auto', 'true'], exact: true },
    name: NAME_ATTR,
  },
  'amp-img': {
    ...FREE(
      'alt attribution crossorigin object-fit object-position placeholder referrerpolicy media',
    ),
    ...LAYOUT,
    importance: { values: ['high', 'low', 'auto'] },
    noloading: { values: [''] },
    src: { protocols: ['data', 'http', 'https'], disallowed: SOURCE_ORIGIN },
    srcset: true,
    layout: {
      values: [
        'fill',
        'fixed',
        'fixed-height',
        'flex-item',
        'intrinsic',
        'nodisplay',
        'responsive',
      ],
      exact: true,
    },
  },
  'amp-lightbox': {
    ...FREE('controls from scrollable media'),
    ...LAYOUT,
    'animate-in': { values: ['fade-in', 'fly-in-bottom', 'fly-in-top'] },
    animation: { values: ['fade-in', 'fly-in-bottom', 'fly-in-top'] },
    layout: { values: ['nodisplay'], exact: true },
  },
  link: {
    ...FREE('href color crossorigin hreflang media sizes target type'),
    charset: { values: ['utf-8'] },
    rel: {
      disallowed:
        /(^|\s)(components|import|manifest|modulepreload|preload|serviceworker|stylesheet|subresource)(\s|$)/,
    },
  },
  meta: {
    ...FREE('content itemprop media property scheme'),
    charset: { values: ['utf-8'] },
    name: {
      disallowed:
        /(^|\s)(amp-.*|amp4ads-.*|apple-itunes-app|content-disposition|revisit-after)(\s|$)/,
    },
    'http-equiv': {
      values: [
        'x-ua-compatible',
        'content-type',
        'content-language',
        'pics-label',
        'imagetoolbar',
        'origin-trial',
        'resource-type',
        'content-style-type',
        'content-script-type',
        'x-dns-prefetch-control',
      ],
    },
  },
  script: {
    ...FREE('src custom-element custom-template nonce'),
    async: { values: [''] },
    crossorigin: { values: ['anonymous'] },
    type: { values: ['text/javascript', 'application/ld+json'] },
  },
  style: {
    ...FREE('nonce'),
    'amp-custom': { values: [''] },
    'amp-boilerplate': { values: [''] },
    type: { values: ['text/css'] },
  },
  form: {
    ...FREE('accept accept-charset autocomplete enctype novalidate name'),
    'action-xhr': { protocols: ['https'], disallowed: SOURCE_ORIGIN },
    'verify-xhr': { protocols: ['https'], disallowed: SOURCE_ORIGIN },
    method: { values: ['post'] },
    target: { values: ['_blank', '_top'] },
    'custom-validation-reporting': {
      values: ['as-you-go', 'interact-and-submit', 'show-all-on-submit', 'show-first-on-submit'],
    },
  },
  div: FREE('align submit-success submit-error submitting'),
  p: FREE('align'),
  ...Object.fromEntries(['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((h) => [h, FREE('align')])),
  blockquote: { ...FREE('align'), cite: CITE },
  ins: { ...FREE('datetime'), cite: CITE },
  del: { ...FREE('datetime'), cite: CITE },
  button: { ...FREE('type value role tabindex'), disabled: { values: [''] }, name: NAME_ATTR },
  input: {
    ...FREE(
      'accept accesskey autocomplete autofocus checked disabled height inputmode list enterkeyhint max maxlength min minlength multiple pattern placeholder readonly required selectiondirection size spellcheck step tabindex value width',
    ),
    type: { disallowed: /(^|\s)(file|image|password|)(\s|$)/ },
    'no-verify': { values: [''] },
    name: NAME_ATTR,
  },
  textarea: {
    ...FREE(
      'autocomplete autoexpand autofocus cols disabled maxlength minlength pattern placeholder readonly required rows selectiondirection selectionend selectionstart spellcheck wrap',
    ),
    'no-verify': { values: [''] },
    name: NAME_ATTR,
  },
  template: { type: { values: ['amp-mustache'], exact: true } },
  time: { ...FREE('datetime'), pubdate: { values: [''] } },
  ol: { reversed: { values: [''] }, start: { pattern: /[0-9]*/ }, type: { pattern: /[1AaIi]/ } },
  li: { value: { pattern: /[0-9]*/ } },
  table: {
    ...FREE('align bgcolor cellpadding cellspacing width sortable'),
    border: { values: ['0', '1'] },
  },
  tr: FREE('align bgcolor height valign'),
  td: CELL,
  th: { ...CELL, ...FREE('abbr scope sorted') },
  html: FREE('⚡ amp'),
};

/** What the validator would say of one attribute of `tag`; undefined when it passes. */
export function attributeProblem(tag: string, name: string, value: string): string | undefined {
  if (name.startsWith('aria-') || /^data-[A-Za-z0-9-_:.]*$/.test(name)) return undefined;
  const rule = TAG_RULES[tag]?.[name] ?? GLOBAL[name];
  if (!rule) return `<${tag} ${name}>: the attribute is not allowed on <${tag}>`;
  if (rule === true) return undefined;
  const bad = `<${tag} ${name}="${value}">`;
  if (rule.values) {
    const ok = rule.exact ? rule.values.includes(value) : rule.values.includes(value.toLowerCase());
    if (!ok) return `${bad}: allowed values are ${rule.values.map((v) => `"${v}"`).join(', ')}`;
  }
  if (rule.pattern && !new RegExp(`^(${rule.pattern.source})$`).test(value))
    return `${bad}: must match ${rule.pattern.source}`;
  if (rule.disallowed && new RegExp(rule.disallowed.source, 'i').test(value))
    return `${bad}: a disallowed value`;
  if (rule.protocols) {
    const scheme = /^\s*([a-z][a-z0-9+.-]*):/i.exec(value)?.[1]?.toLowerCase();
    if (scheme ? !rule.protocols.includes(scheme) : rule.absolute)
      return `${bad}: the protocol is not allowed`;
  }
  return undefined;
}
