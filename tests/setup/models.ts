import { loadRecognisers } from '../../src/models/load';

loadRecognisers();
