import { render } from "preact";
import { Popup } from "@/ui/Popup";
import "@/ui/styles.css";

render(<Popup />, document.getElementById("app")!);
