import { render } from "preact";
import { initI18n, watchLanguage } from "@/i18n";
import { Options } from "@/ui/Options";
import "@/ui/styles.css";

// The chosen language is loaded before the first render; a change (made on this page) re-renders in place.
const root = document.getElementById("app")!;
let generation = 0;
const show = () => render(<Options key={generation++} />, root);
void initI18n().finally(show);
watchLanguage(show);
