import { render } from "preact";
import { Options } from "@/ui/Options";
import "@/ui/styles.css";

render(<Options />, document.getElementById("app")!);
