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

/** EventEmitter2's surface, as handed to the `events` option. */
export interface StreamEmbedEmitter {
  on<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): void;
  off<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): void;
  once<K extends keyof StreamEmbedEvents>(name: K, fn: Listener<K>): void;
  onAny(fn: (name: string, data: unknown) => void): void;
  offAny(fn?: (name: string, data: unknown) => void): void;
}

/** `createStreamEmbed` options: Coral's names and defaults. */
export interface StreamEmbedConfig {
  /** Container element id. Default `"coral-embed-stream"`. */
  id?: string;
  /** Stream server root URL. Default: the origin of the embed script. */
  rootURL?: string;
  storyID?: string | number;
  /** Default: `?storyURL=`, then `<link rel=canonical>`, then origin + path. */
  storyURL?: string;
  storyMode?: "COMMENTS" | "QA" | "RATINGS_AND_REVIEWS";
  /** Default: `?commentID=`. */
  commentID?: string | number;
  /** Render without calling `render()`. Default `false`, as in Coral. */
  autoRender?: boolean;
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
  /** Removes the stream; throws `NOT_MOUNTED` if it was never rendered. */
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
