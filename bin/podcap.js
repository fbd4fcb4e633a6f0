#!/usr/bin/env node
import { main } from "../dist/podcap.mjs";

main(process.argv);
