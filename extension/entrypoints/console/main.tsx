import "@/zod-jitless"; // first: before any schema is built (see the file)
import { render } from "preact";
import { initI18n, watchLanguage } from "@/i18n";
import { Console } from "@/ui/console/Console";
import "@/ui/styles.css";
import "@/ui/console/console.css";

// The chosen language is loaded before the first render; a change on the options page re-renders in place.
const root = document.getElementById("app")!;
let generation = 0;
const show = () => render(<Console key={generation++} />, root);
void initI18n().finally(show);
watchLanguage(show);
