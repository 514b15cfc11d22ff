/** npm run seed: migrate the local D1, seed the demo org if empty, print fresh pairing codes. */
import { migrateLocal, printCodes, seedLocal } from "./local-d1";

await migrateLocal();
const { seeded, codes } = await seedLocal();
console.log(seeded ? "Seeded the demo org (Acme Sales, Asia/Shanghai)." : "Demo org already present; issued fresh pairing codes.");
printCodes(codes);
