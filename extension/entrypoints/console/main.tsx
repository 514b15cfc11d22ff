import { render } from "preact";
import { Console } from "@/ui/console/Console";
import "@/ui/styles.css";
import "@/ui/console/console.css";

render(<Console />, document.getElementById("app")!);
