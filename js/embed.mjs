// ES-module entry (same API as the script tag); js/loader.js reads the base.
globalThis[Symbol.for("stream-embed.base")] = import.meta.url;
await import("./embed.js");
const Coral = globalThis.Coral;
await Coral.ready;
export const createStreamEmbed = Coral.createStreamEmbed;
export default Coral;
