/** 100 tests, each writing to three tables (see three-tables.ts). */
import { threeTableTests } from './three-tables';

threeTableTests(2, 100);
