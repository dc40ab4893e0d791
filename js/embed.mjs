// ES-module entry: same API as the script tag, as named and default exports.
globalThis.__streamEmbedBase = import.meta.url;
await import("./embed.js");
const Coral = globalThis.Coral;
await Coral.ready;
export const createStreamEmbed = Coral.createStreamEmbed;
export default Coral;
