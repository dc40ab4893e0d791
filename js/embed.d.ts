// Types for stream-embed's public API (Coral-compatible).

/** Stable error codes; `err.code` on every error the SDK throws. */
export type StreamEmbedErrorCode =
  | "INVALID_OPTION"
  | "CONTAINER_NOT_FOUND"
  | "NOT_MOUNTED"
  | "INVALID_ARGUMENT"
  | "TOKEN_MALFORMED"
  | "TOKEN_EXPIRED"
  | "TOKEN_CLAIM_MISSING"
  | "TOKEN_TOO_LARGE"
  | "LOGIN_CALLBACK_UNEXPECTED"
  | "LOGIN_CALLBACK_STUCK"
  | "LOGIN_NONCE_UNAVAILABLE";

/** An error thrown by the SDK. Never contains a token. */
export interface StreamEmbedError extends Error {
  name: "CoralError";
  code: StreamEmbedErrorCode;
  /** The option concerned, for `INVALID_OPTION`. */
  option?: string;
  /** The missing claim, for `TOKEN_CLAIM_MISSING` (e.g. `user.email`). */
  claim?: string;
}

/** Events forwarded from the stream (by name) plus the embed's own. */
export interface StreamEmbedEvents {
  /** The stream has rendered (fired once). */
  ready: undefined;
  /** The stream's sign-in state changed. */
  authState: { loggedIn: boolean };
  /** The reader asked to sign in: send them to your login page. */
  loginPrompt: { tokenAuthURL?: string } | undefined;
  /** The server rejected the token. */
  authError: { code: string };
  /** The token expired. */
  tokenExpired: undefined;
  "signOut.success": undefined;
  /** A permalinked comment is shown (fired asynchronously after construction). */
  showPermalink: { commentID: string };
  /** The iframe loaded but the stream never answered (frame-ancestors, CSP, down). */
  error: { code: "STREAM_UNREACHABLE"; message: string };
  showAuthPopup: { view?: string } | undefined;
  [name: string]: unknown;
}

export type Listener<K extends keyof StreamEmbedEvents = string> = (data: StreamEmbedEvents[K]) => void;

/** A listener for any event: called with the name, then the event's values. */
export type AnyListener = (name: string, ...values: unknown[]) => void;

/**
 * EventEmitter2's surface (`{wildcard: true, delimiter: "."}`), as handed to
 * the `events` option: `*` matches one `.`-separated segment, `**` any
 * number. Methods that return the emitter chain.
 */
export interface StreamEmbedEmitter {
  on<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  addListener<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  prependListener<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  once<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  prependOnceListener<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  many<K extends keyof StreamEmbedEvents>(name: K, times: number, fn: Listener<K>): this;
  prependMany<K extends keyof StreamEmbedEvents>(name: K, times: number, fn: Listener<K>): this;
  off<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  removeListener<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): this;
  removeAllListeners(name?: string): this;
  onAny(fn: AnyListener): this;
  prependAny(fn: AnyListener): this;
  offAny(fn?: AnyListener): this;
  listeners(name: string): Function[];
  listenersAny(): Function[];
  listenerCount(name: string): number;
  hasListeners(name: string): boolean;
  eventNames(): string[];
  /** Calls this page's listeners; never sent to the stream. */
  emit(name: string, ...values: unknown[]): boolean;
  /** Accepted; there is no limit. */
  setMaxListeners(n: number): this;
}

/** `createStreamEmbed` options: Coral's names and defaults. */
export interface StreamEmbedConfig {
  /** Container element id. Default `"coral-embed-stream"`. */
  id?: string;
  /** Stream server root URL (absolute or `//host`). Default: the origin of the embed script. */
  rootURL?: string;
  /** Default: `?storyID=`. */
  storyID?: string | number;
  /** Default: `?storyURL=`, then `<link rel=canonical>`, then origin + path. */
  storyURL?: string;
  storyMode?: "COMMENTS" | "QA" | "RATINGS_AND_REVIEWS";
  /** Default: `?commentID=`. */
  commentID?: string | number;
  /** Render without calling `render()`. Default `false`, as in Coral. */
  autoRender?: boolean;
  /** The element that scrolls the page's content (lazy rendering watches it). */
  customScrollContainer?: Element;
  /** Called before the stream is created, to attach listeners. */
  events?: (emitter: StreamEmbedEmitter) => void;
  /** The SSO token (a JWT), if the reader is signed in. */
  accessToken?: string;
  /** Called when the stream needs a fresh token; call `next(token)` once. */
  refreshAccessToken?: (next: (token: string) => void) => void;
  containerClassName?: string;
  /** @deprecated use `containerClassName`. */
  bodyClassName?: string;
  customCSSURL?: string;
  customFontsCSSURL?: string;
  disableDefaultFonts?: boolean;
  enableDeprecatedEvents?: boolean;
  /** Accepted for compatibility; ignored. */
  amp?: boolean;
  /** Sign in with a `#jwt=`/`?jwt=` token in the page URL and remove it. */
  handleLoginCallback?: boolean;
}

/** A comment stream on the page. */
export interface StreamEmbed extends StreamEmbedEmitter {
  /** Renders the stream now (no-op if rendered). */
  render(): void;
  /** Unmounts the stream (it can render again); throws `NOT_MOUNTED` if not mounted. */
  remove(): void;
  /** Signs the reader in (or replaces the token) without reloading. */
  login(token: string): void;
  /** Signs the reader out. */
  logout(): void;
  /** Signs in with a `#jwt=`/`?jwt=` token from the URL (removed first) that carries this tab's login nonce. */
  handleLoginCallback(): boolean;
  /** Whether the stream iframe is in the page. */
  readonly rendered: boolean;
}

/** Talk v4's render options. */
export interface TalkRenderOptions {
  /** The stream server root (Talk v4's `talk`). */
  talk: string;
  asset_id?: string;
  asset_url?: string;
  auth_token?: string;
  events?: (emitter: StreamEmbedEmitter) => void;
  /** Render when the element nears the viewport instead of at once. */
  lazy?: boolean;
}

export interface CoralGlobal {
  createStreamEmbed(config: StreamEmbedConfig): StreamEmbed;
  /** Same as `embed.handleLoginCallback()`. */
  handleLoginCallback(embed: StreamEmbed): boolean;
  /**
   * A fresh one-time login nonce (kept in this tab's sessionStorage) for
   * your login URL; your token issuer puts it in the token's `nonce` claim,
   * and `handleLoginCallback` accepts only a token that carries it.
   */
  createLoginNonce(): string;
  /** Talk v4 compatibility: renders at once. */
  Talk: { render(element: Element, opts: TalkRenderOptions): StreamEmbed };
  /** Resolves when the SDK's wasm is loaded; errors then throw synchronously. */
  ready: Promise<CoralGlobal>;
}

export declare function createStreamEmbed(config: StreamEmbedConfig): StreamEmbed;
declare const Coral: CoralGlobal;
export default Coral;

declare global {
  interface Window {
    Coral: CoralGlobal;
  }
}
