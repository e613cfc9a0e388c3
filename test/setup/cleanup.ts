/** After each test file: remove the temporary directories its helpers made. */
import { removeTmpDirs } from '../tmp';

afterAll(removeTmpDirs);
